// Maglev lookup table (Eisenbud et al., NSDI'16), weighted the way Envoy does it
// (maglev_lb.cc): hosts take turns claiming the next free slot of their own permutation of the
// table, a host of weight w taking a turn on every (max weight / w)-th round. The table size is
// prime so every permutation visits every slot. Sizes follow MOSN (trainyao/go-maglev SmallM and
// BigM, switching at 30 000 hosts). Built once per balancer; the result is a pure function of
// the host addresses, order and weights, so every worker builds the same table.
import type { Host } from '../../api/upstream.ts';
import { murmur3String } from './string-hash.ts';

export const MAGLEV_SMALL_TABLE_SIZE = 65537;
export const MAGLEV_LARGE_TABLE_SIZE = 655373;
const LARGE_TABLE_FROM_HOSTS = 30000;
const OFFSET_SEED = 0x5bd1e995;
const SKIP_SEED = 0x1b873593;

export type MaglevTable = Uint16Array | Uint32Array;

export function maglevTableSize(hostCount: number): number {
  return hostCount < LARGE_TABLE_FROM_HOSTS ? MAGLEV_SMALL_TABLE_SIZE : MAGLEV_LARGE_TABLE_SIZE;
}

/** Slot → position in `hosts`. `weights[i]` (≥ 1) is the weight of `hosts[i]`. */
export function buildMaglevTable(hosts: readonly Host[], weights: Float64Array): MaglevTable {
  const n = hosts.length;
  const size = maglevTableSize(n);
  if (n === 0 || n >= size) throw new RangeError(`maglev needs 1..${size - 1} hosts, got ${n}`);
  const table: MaglevTable = size === MAGLEV_SMALL_TABLE_SIZE ? new Uint16Array(size) : new Uint32Array(size);
  const empty = size === MAGLEV_SMALL_TABLE_SIZE ? 0xffff : 0xffffffff;
  table.fill(empty);

  const next = new Float64Array(n);
  const skip = new Float64Array(n);
  const due = new Float64Array(n);
  let maxWeight = 0;
  for (let i = 0; i < n; i++) {
    const address = hosts[i]!.address;
    next[i] = murmur3String(address, OFFSET_SEED) % size;
    skip[i] = (murmur3String(address, SKIP_SEED) % (size - 1)) + 1;
    if (weights[i]! > maxWeight) maxWeight = weights[i]!;
  }

  let filled = 0;
  for (let round = 1; filled < size; round++) {
    for (let i = 0; i < n && filled < size; i++) {
      if (round * weights[i]! < due[i]!) continue;
      due[i] = due[i]! + maxWeight;
      const step = skip[i]!;
      let slot = next[i]!;
      while (table[slot] !== empty) {
        slot += step;
        if (slot >= size) slot -= size;
      }
      table[slot] = i;
      slot += step;
      next[i] = slot >= size ? slot - size : slot;
      filled++;
    }
  }
  return table;
}
