// LB_MAGLEV: consistent hashing of `ctx.hashKey` (from the route's hash_policy) through a
// Maglev table, so a key keeps its host while membership is stable and only about 1/n of keys
// move when one of n hosts goes. If the key's host is unhealthy (or already tried by this
// request) the walk continues through the following table slots, which spreads that host's keys
// over the others by weight; MOSN walks the host list instead, piling them all onto the next
// host. The walk is bounded, then falls back to the host list. No hash key → LB_RANDOM's pick
// (MOSN returns none, which would fail a request whose hash policy found no header).
import type { Host, LbContext, LoadBalancer, LoadBalancerFactory } from '../../api/upstream.ts';
import { findHealthy, isFreshHealthy } from './host-scan.ts';
import { clampedWeights } from './host-weight.ts';
import { buildMaglevTable, type MaglevTable } from './maglev-table.ts';
import { RandomLb } from './random.ts';
import { RoundRobinLb } from './round-robin.ts';
import { murmur3String } from './string-hash.ts';

const KEY_SEED = 0;
/** with half the hosts down, 2^-32 odds of reaching the host-list fallback */
const MAX_TABLE_PROBES = 32;

export class MaglevLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  readonly #table: MaglevTable;
  readonly #withoutKey: RandomLb;

  constructor(hosts: readonly Host[], random: () => number) {
    this.#hosts = hosts;
    this.#table = buildMaglevTable(hosts, clampedWeights(hosts));
    this.#withoutKey = new RandomLb(hosts, random);
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const key = ctx?.hashKey;
    const tried = ctx?.tried;
    if (key === undefined) return this.#withoutKey.chooseHost(ctx);
    const table = this.#table;
    const size = table.length;
    const home = murmur3String(key, KEY_SEED) % size;
    let slot = home;
    for (let probe = 0; probe < MAX_TABLE_PROBES; probe++) {
      const host = hosts[table[slot]!]!;
      if (isFreshHealthy(host, tried)) return host;
      if (++slot === size) slot = 0;
    }
    const pos = findHealthy(hosts, table[home]! + 1, tried);
    return pos < 0 ? undefined : hosts[pos];
  }
}

export const maglevFactory: LoadBalancerFactory = {
  name: 'LB_MAGLEV',
  create(hosts, options) {
    return hosts.length === 0 ? new RoundRobinLb(hosts, 0) : new MaglevLb(hosts, options.random);
  },
};
