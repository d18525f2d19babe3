import { describe, expect, it } from 'vitest';
import { randomFactory } from '../../../../src/upstream/lb/random.ts';
import { countPicks, fakeHosts, lbOptions, share } from './fake-host.ts';

describe('LB_RANDOM', () => {
  it('spreads picks uniformly', () => {
    const hosts = fakeHosts(5);
    const counts = countPicks(randomFactory.create(hosts, lbOptions(3)), 10_000);
    for (let i = 0; i < 5; i++) expect(share(counts, i, 10_000)).toBeCloseTo(0.2, 1);
  });

  it('is driven by the injected random source', () => {
    const hosts = fakeHosts(8);
    const a = countPicks(randomFactory.create(hosts, lbOptions(11)), 50);
    const b = countPicks(randomFactory.create(hosts, lbOptions(11)), 50);
    expect(a).toEqual(b);
  });

  it('falls back to round robin over healthy hosts when the pick is unhealthy', () => {
    const hosts = fakeHosts(4);
    hosts[0]!.up = false;
    const counts = countPicks(randomFactory.create(hosts, lbOptions(5)), 12_000);
    expect(counts.get(0)).toBeUndefined();
    // a quarter of the picks land on host 0 and are re-dealt round robin: 1/3 each
    for (const i of [1, 2, 3]) expect(share(counts, i, 12_000)).toBeCloseTo(1 / 3, 1);
  });

  it('returns undefined when all hosts are unhealthy or there are none', () => {
    const hosts = fakeHosts(3);
    for (const h of hosts) h.up = false;
    expect(randomFactory.create(hosts, lbOptions()).chooseHost(undefined)).toBeUndefined();
    expect(randomFactory.create([], lbOptions()).chooseHost(undefined)).toBeUndefined();
  });

  it('avoids tried hosts while another is healthy', () => {
    const hosts = fakeHosts(3);
    const lb = randomFactory.create(hosts, lbOptions());
    const counts = countPicks(lb, 1000, () => ({ tried: [hosts[0]!, hosts[1]!] }));
    expect(counts.get(2)).toBe(1000);
    hosts[2]!.up = false;
    expect([hosts[0], hosts[1]]).toContain(lb.chooseHost({ tried: [hosts[0]!, hosts[1]!] }));
  });
});
