import { describe, expect, it } from 'vitest';
import {
  buildMaglevTable,
  MAGLEV_LARGE_TABLE_SIZE,
  MAGLEV_SMALL_TABLE_SIZE,
  maglevTableSize,
} from '../../../../src/upstream/lb/maglev-table.ts';
import { fakeHosts } from './fake-host.ts';

function slotsPerHost(table: ArrayLike<number>, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < table.length; i++) counts[table[i]!]!++;
  return counts;
}

describe('buildMaglevTable', () => {
  it('fills every slot of a prime-sized table, evenly for equal weights', () => {
    const hosts = fakeHosts(7);
    const table = buildMaglevTable(hosts, new Float64Array(7).fill(1));
    expect(table.length).toBe(MAGLEV_SMALL_TABLE_SIZE);
    const counts = slotsPerHost(table, 7);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(MAGLEV_SMALL_TABLE_SIZE);
    for (const c of counts) expect(Math.abs(c - MAGLEV_SMALL_TABLE_SIZE / 7)).toBeLessThanOrEqual(1);
  });

  it('gives hosts slots in proportion to weight', () => {
    const weights = [1, 2, 3, 128];
    const table = buildMaglevTable(fakeHosts(4), new Float64Array(weights));
    const counts = slotsPerHost(table, 4);
    weights.forEach((w, i) => expect(counts[i]! / MAGLEV_SMALL_TABLE_SIZE).toBeCloseTo(w / 134, 3));
  });

  it('is a pure function of addresses, order and weights', () => {
    const a = buildMaglevTable(fakeHosts(5), new Float64Array(5).fill(1));
    const b = buildMaglevTable(fakeHosts(5), new Float64Array(5).fill(1));
    expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer))).toBe(0);
  });

  it('switches to the large table at 30 000 hosts and rejects impossible sizes', () => {
    expect(maglevTableSize(29_999)).toBe(MAGLEV_SMALL_TABLE_SIZE);
    expect(maglevTableSize(30_000)).toBe(MAGLEV_LARGE_TABLE_SIZE);
    expect(() => buildMaglevTable([], new Float64Array(0))).toThrow(RangeError);
  });
});
