import { describe, expect, it } from 'vitest';
import { leastConnectionFactory } from '../../../../src/upstream/lb/least-connection.ts';
import { countPicks, fakeHosts, lbOptions, share } from './fake-host.ts';

describe('LB_LEAST_CONNECTION', () => {
  it('compares open connections, not requests', () => {
    const hosts = fakeHosts(2);
    hosts[0]!.requests = 100; // irrelevant to this balancer
    hosts[1]!.connections = 3;
    const lb = leastConnectionFactory.create(hosts, lbOptions(1, { choiceCount: 32 }));
    expect(lb.chooseHost(undefined)).toBe(hosts[0]);
    hosts[0]!.connections = 7;
    expect(lb.chooseHost(undefined)).toBe(hosts[1]);
  });

  it('prefers the host with fewest connections (P2C)', () => {
    const hosts = fakeHosts(4);
    for (const h of hosts) h.connections = 4;
    hosts[0]!.connections = 0;
    const counts = countPicks(leastConnectionFactory.create(hosts, lbOptions(4)), 10_000);
    expect(share(counts, 0, 10_000)).toBeCloseTo(7 / 16, 1);
  });

  it('weights by weight / (connections + 1) when weights differ', () => {
    const hosts = fakeHosts(2, (i) => [4, 1][i]!);
    hosts[0]!.connections = 3; // 4 / 4 = 1 against 1
    const counts = countPicks(leastConnectionFactory.create(hosts, lbOptions()), 10_000);
    expect(share(counts, 0, 10_000)).toBeCloseTo(0.5, 1);
  });

  it('skips unhealthy hosts; all unhealthy → undefined', () => {
    const hosts = fakeHosts(3);
    hosts[1]!.up = false;
    const lb = leastConnectionFactory.create(hosts, lbOptions());
    expect(countPicks(lb, 1000).get(1)).toBeUndefined();
    for (const h of hosts) h.up = false;
    expect(lb.chooseHost(undefined)).toBeUndefined();
  });
});
