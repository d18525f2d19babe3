import { describe, expect, it } from 'vitest';
import { pickCluster, WeightedClusterTable } from '../../../src/router/weighted-clusters.ts';
import { buildRouter, oneHost, request } from './build-router.ts';

/** mulberry32: a small seeded generator in [0, 1) */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const entry = (name: string, weight: number) => ({ name, weight, metadataMatch: undefined });

describe('WeightedClusterTable', () => {
  it('gives each cluster its share of [0, 1) in config order', () => {
    const t = new WeightedClusterTable([entry('a', 90), entry('b', 10)]);
    expect(t.totalWeight).toBe(100);
    expect(t.pick(0).name).toBe('a');
    expect(t.pick(0.8999).name).toBe('a');
    expect(t.pick(0.9).name).toBe('b');
    expect(t.pick(0.999999).name).toBe('b');
  });

  it('never picks a zero-weight cluster', () => {
    const t = new WeightedClusterTable([entry('zero', 0), entry('a', 1), entry('zero2', 0), entry('b', 1), entry('tail', 0)]);
    const names = new Set<string>();
    for (let i = 0; i < 100; i++) names.add(t.pick(i / 100).name);
    expect([...names].sort()).toEqual(['a', 'b']);
    expect(t.pick(1).name).toBe('b'); // out-of-range input still lands on a weighted cluster
  });

  it('distributes by weight with a seeded random (deterministic)', () => {
    const t = new WeightedClusterTable([entry('a', 70), entry('b', 20), entry('c', 10)]);
    const rnd = seeded(42);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[t.pick(rnd()).name]!++;
    expect(Math.abs(counts['a']! / n - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(counts['b']! / n - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(counts['c']! / n - 0.1)).toBeLessThan(0.01);
    // same seed, same sequence of picks
    const again = seeded(42);
    const first = Array.from({ length: 20 }, () => t.pick(again()).name);
    const again2 = seeded(42);
    expect(Array.from({ length: 20 }, () => t.pick(again2()).name)).toEqual(first);
  });
});

describe('pickCluster', () => {
  const router = buildRouter(
    oneHost([
      {
        match: { prefix: '/w' },
        route: {
          weighted_clusters: [
            { cluster: { name: 'v1', weight: 90, metadata_match: { filter_metadata: { 'mosn.lb': { v: '1' } } } } },
            { cluster: { name: 'v2', weight: 10 } },
          ],
        },
      },
      { match: { prefix: '/c' }, route: { cluster_name: 'single' } },
      { match: { prefix: '/d' }, direct_response: { status: 204 } },
    ]),
  );

  it('returns the weighted choice with its metadata', () => {
    const route = router.match(request({ path: '/w' }))!;
    expect(pickCluster(route, 0.1)).toEqual({ name: 'v1', weight: 90, metadataMatch: { v: '1' } });
    expect(pickCluster(route, 0.95)?.name).toBe('v2');
  });

  it('returns the single cluster without allocating, and nothing for a direct response', () => {
    const route = router.match(request({ path: '/c' }))!;
    expect(pickCluster(route, 0.5)).toBe(route.cluster);
    expect(pickCluster(router.match(request({ path: '/d' }))!, 0.5)).toBeUndefined();
  });
});
