import { describe, expect, it } from 'vitest';
import { weightedRoundRobinFactory } from '../../../../src/upstream/lb/weighted-round-robin.ts';
import { countPicks, FakeHost, fakeHosts, lbOptions, share } from './fake-host.ts';

describe('LB_WEIGHTED_ROUNDROBIN', () => {
  it('picks in proportion to weight (EDF)', () => {
    const weights = [1, 2, 3, 4];
    const hosts = fakeHosts(4, (i) => weights[i]!);
    const counts = countPicks(weightedRoundRobinFactory.create(hosts, lbOptions()), 10_000);
    for (let i = 0; i < 4; i++) expect(Math.abs(counts.get(i)! - (10_000 * weights[i]!) / 10)).toBeLessThanOrEqual(2);
  });

  it('interleaves rather than bursting a heavy host', () => {
    // 3:1 → runs of three, four when float deadlines tie-break against the light host
    const hosts = fakeHosts(2, (i) => (i === 0 ? 3 : 1));
    const lb = weightedRoundRobinFactory.create(hosts, lbOptions());
    let run = 0;
    let longest = 0;
    for (let k = 0; k < 400; k++) {
      run = lb.chooseHost(undefined) === hosts[0] ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(4);
  });

  it('is plain round robin when weights are equal', () => {
    const hosts = fakeHosts(4, () => 9);
    const lb = weightedRoundRobinFactory.create(hosts, lbOptions(4));
    const first = lb.chooseHost(undefined)!.index;
    for (let k = 1; k < 12; k++) expect(lb.chooseHost(undefined)!.index).toBe((first + k) % 4);
  });

  it('clamps weights to 1..128 like MOSN', () => {
    const hosts = [new FakeHost(0, 1000), new FakeHost(1, 0), new FakeHost(2, 128)];
    const counts = countPicks(weightedRoundRobinFactory.create(hosts, lbOptions()), 25_700);
    expect(Math.abs(counts.get(0)! - 12_800)).toBeLessThanOrEqual(2);
    expect(Math.abs(counts.get(1)! - 100)).toBeLessThanOrEqual(2);
  });

  it('skips unhealthy hosts; the others keep their ratio', () => {
    const weights = [1, 2, 5];
    const hosts = fakeHosts(3, (i) => weights[i]!);
    hosts[0]!.up = false;
    const counts = countPicks(weightedRoundRobinFactory.create(hosts, lbOptions()), 7000);
    expect(counts.get(0)).toBeUndefined();
    expect(share(counts, 2, 7000)).toBeCloseTo(5 / 7, 2);
  });

  it('degrades to round robin among survivors when a dominant host is down (MOSN: n tries)', () => {
    const weights = [1, 2, 100];
    const hosts = fakeHosts(3, (i) => weights[i]!);
    hosts[2]!.up = false;
    const counts = countPicks(weightedRoundRobinFactory.create(hosts, lbOptions()), 9000);
    expect(counts.get(2)).toBeUndefined();
    expect(share(counts, 1, 9000)).toBeGreaterThan(0.45);
    expect(share(counts, 1, 9000)).toBeLessThan(2 / 3 + 0.01);
  });

  it('returns undefined when all are unhealthy or there are none', () => {
    const hosts = fakeHosts(3, (i) => i + 1);
    for (const h of hosts) h.up = false;
    expect(weightedRoundRobinFactory.create(hosts, lbOptions()).chooseHost(undefined)).toBeUndefined();
    expect(weightedRoundRobinFactory.create([], lbOptions()).chooseHost(undefined)).toBeUndefined();
  });

  it('finds a light untried host even when the heavy ones were tried', () => {
    const hosts = fakeHosts(4, (i) => (i === 3 ? 1 : 128));
    const lb = weightedRoundRobinFactory.create(hosts, lbOptions());
    const tried = [hosts[0]!, hosts[1]!, hosts[2]!];
    for (let k = 0; k < 20; k++) expect(lb.chooseHost({ tried })).toBe(hosts[3]);
  });
});
