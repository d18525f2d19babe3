import { describe, expect, it } from 'vitest';
import { leastRequestFactory } from '../../../../src/upstream/lb/least-request.ts';
import { countPicks, fakeHosts, lbOptions, share } from './fake-host.ts';

describe('LB_LEAST_REQUEST, equal weights (choice of N)', () => {
  it('prefers the least loaded host as P2C predicts', () => {
    const hosts = fakeHosts(4);
    for (const h of hosts) h.requests = 10;
    hosts[2]!.requests = 0;
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions(9)), 10_000);
    // P(host 2 among 2 draws) = 1 - (3/4)^2 = 7/16
    expect(share(counts, 2, 10_000)).toBeCloseTo(7 / 16, 1);
  });

  it('with many choices almost always takes the least loaded', () => {
    const hosts = fakeHosts(4);
    hosts.forEach((h, i) => (h.requests = 5 + i));
    hosts[3]!.requests = 1;
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions(2, { choiceCount: 20 })), 1000);
    expect(share(counts, 3, 1000)).toBeGreaterThan(0.98);
  });

  it('reads the load at pick time, every pick', () => {
    const hosts = fakeHosts(2);
    const lb = leastRequestFactory.create(hosts, lbOptions(3, { choiceCount: 32 }));
    hosts[1]!.requests = 4;
    expect(lb.chooseHost(undefined)).toBe(hosts[0]);
    hosts[0]!.requests = 9; // another worker got busy on host 0
    expect(lb.chooseHost(undefined)).toBe(hosts[1]);
  });

  it('spreads evenly when loads are equal', () => {
    const counts = countPicks(leastRequestFactory.create(fakeHosts(4), lbOptions(5)), 10_000);
    for (let i = 0; i < 4; i++) expect(share(counts, i, 10_000)).toBeCloseTo(0.25, 1);
  });

  it('never returns an unhealthy host, even the least loaded one', () => {
    const hosts = fakeHosts(3);
    hosts[0]!.up = false;
    hosts[1]!.requests = 3;
    hosts[2]!.requests = 5;
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions()), 2000);
    expect(counts.get(0)).toBeUndefined();
    expect(counts.get(1)! > counts.get(2)!).toBe(true);
    for (const h of hosts) h.up = false;
    expect(leastRequestFactory.create(hosts, lbOptions()).chooseHost(undefined)).toBeUndefined();
  });

  it('avoids tried hosts while another is healthy', () => {
    const hosts = fakeHosts(3);
    hosts[2]!.requests = 50;
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions()), 500, () => ({ tried: [hosts[0]!, hosts[1]!] }));
    expect(counts.get(2)).toBe(500);
  });
});

describe('LB_LEAST_REQUEST, different weights (EDF on weight / (active + 1) ^ bias)', () => {
  it('follows weights when idle', () => {
    const hosts = fakeHosts(3, (i) => [1, 2, 5][i]!);
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions()), 8000);
    expect(share(counts, 2, 8000)).toBeCloseTo(5 / 8, 2);
    expect(share(counts, 0, 8000)).toBeCloseTo(1 / 8, 2);
  });

  it('divides weight by active requests + 1', () => {
    const hosts = fakeHosts(3, (i) => [2, 2, 1][i]!);
    hosts[1]!.requests = 9; // effective 2 / 10
    const counts = countPicks(leastRequestFactory.create(hosts, lbOptions()), 10_000);
    const total = 2 + 0.2 + 1;
    expect(share(counts, 0, 10_000)).toBeCloseTo(2 / total, 1);
    expect(share(counts, 1, 10_000)).toBeCloseTo(0.2 / total, 1);
  });

  it('applies active_request_bias as an exponent (0 → weights only)', () => {
    const hosts = fakeHosts(2, (i) => [1, 2][i]!);
    hosts[1]!.requests = 3;
    const flat = countPicks(leastRequestFactory.create(hosts, lbOptions(1, { activeRequestBias: 0 })), 9000);
    expect(share(flat, 1, 9000)).toBeCloseTo(2 / 3, 2);
    const steep = countPicks(leastRequestFactory.create(hosts, lbOptions(1, { activeRequestBias: 2 })), 9000);
    // 2 / 4^2 = 0.125 against 1
    expect(share(steep, 1, 9000)).toBeCloseTo(0.125 / 1.125, 2);
  });

  it('skips unhealthy hosts and honours tried', () => {
    const hosts = fakeHosts(3, (i) => [1, 2, 5][i]!);
    hosts[2]!.up = false;
    const lb = leastRequestFactory.create(hosts, lbOptions());
    const counts = countPicks(lb, 3000);
    expect(counts.get(2)).toBeUndefined();
    expect(lb.chooseHost({ tried: [hosts[1]!] })).toBe(hosts[0]);
  });
});
