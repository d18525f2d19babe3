import { describe, expect, it } from 'vitest';
import { roundRobinFactory } from '../../../../src/upstream/lb/round-robin.ts';
import { countPicks, fakeHosts, lbOptions } from './fake-host.ts';

describe('LB_ROUNDROBIN', () => {
  it('visits hosts in order, one each per cycle, from a random start', () => {
    const hosts = fakeHosts(5);
    const lb = roundRobinFactory.create(hosts, lbOptions(7));
    const first = lb.chooseHost(undefined)!.index;
    const seq = [first];
    for (let k = 1; k < 10; k++) seq.push(lb.chooseHost(undefined)!.index);
    expect(seq).toEqual(Array.from({ length: 10 }, (_, k) => (first + k) % 5));
    const starts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => roundRobinFactory.create(hosts, lbOptions(s)).chooseHost(undefined)!.index));
    expect(starts.size).toBeGreaterThan(1);
  });

  it('skips unhealthy hosts and keeps the others even', () => {
    const hosts = fakeHosts(4);
    hosts[1]!.up = false;
    const counts = countPicks(roundRobinFactory.create(hosts, lbOptions()), 3000);
    expect(counts.get(1)).toBeUndefined();
    for (const i of [0, 2, 3]) expect(counts.get(i)).toBe(1000);
  });

  it('returns undefined when every host is unhealthy, and recovers when one comes back', () => {
    const hosts = fakeHosts(3);
    for (const h of hosts) h.up = false;
    const lb = roundRobinFactory.create(hosts, lbOptions());
    expect(lb.chooseHost(undefined)).toBeUndefined();
    hosts[2]!.up = true;
    expect(lb.chooseHost(undefined)).toBe(hosts[2]);
  });

  it('returns undefined for no hosts', () => {
    expect(roundRobinFactory.create([], lbOptions()).chooseHost(undefined)).toBeUndefined();
  });

  it('avoids hosts this request already tried, unless nothing else is healthy', () => {
    const hosts = fakeHosts(3);
    const lb = roundRobinFactory.create(hosts, lbOptions());
    for (let k = 0; k < 30; k++) expect([hosts[0], hosts[2]]).toContain(lb.chooseHost({ tried: [hosts[1]!] }));
    hosts[0]!.up = false;
    hosts[2]!.up = false;
    expect(lb.chooseHost({ tried: [hosts[1]!] })).toBe(hosts[1]);
  });
});
