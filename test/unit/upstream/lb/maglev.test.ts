import { describe, expect, it } from 'vitest';
import { maglevFactory } from '../../../../src/upstream/lb/maglev.ts';
import { countPicks, fakeHosts, lbOptions, share } from './fake-host.ts';

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
const byKey = (i: number) => ({ hashKey: KEYS[i % KEYS.length] });

describe('LB_MAGLEV', () => {
  it('maps the same key to the same host, in every balancer instance (every worker)', () => {
    const hosts = fakeHosts(6);
    const a = maglevFactory.create(hosts, lbOptions(1));
    const b = maglevFactory.create(hosts, lbOptions(99));
    for (const key of KEYS.slice(0, 2000)) {
      const host = a.chooseHost({ hashKey: key });
      expect(a.chooseHost({ hashKey: key })).toBe(host);
      expect(b.chooseHost({ hashKey: key })).toBe(host);
    }
  });

  it('spreads keys evenly, and by weight', () => {
    const even = countPicks(maglevFactory.create(fakeHosts(5), lbOptions()), 10_000, byKey);
    for (let i = 0; i < 5; i++) expect(share(even, i, 10_000)).toBeCloseTo(0.2, 1);
    const weighted = countPicks(maglevFactory.create(fakeHosts(3, (i) => [1, 3, 6][i]!), lbOptions()), 10_000, byKey);
    expect(share(weighted, 2, 10_000)).toBeCloseTo(0.6, 1);
    expect(share(weighted, 0, 10_000)).toBeCloseTo(0.1, 1);
  });

  it('remaps only about 1/N of the keys when one of N hosts is removed', () => {
    const n = 10;
    const hosts = fakeHosts(n);
    const before = maglevFactory.create(hosts, lbOptions());
    const after = maglevFactory.create(hosts.filter((h) => h.index !== 4), lbOptions());
    let moved = 0;
    let movedFromSurvivors = 0;
    for (const key of KEYS) {
      const a = before.chooseHost({ hashKey: key })!;
      if (a !== after.chooseHost({ hashKey: key })) {
        moved++;
        if (a.index !== 4) movedFromSurvivors++;
      }
    }
    expect(moved / KEYS.length).toBeGreaterThan(0.07);
    expect(moved / KEYS.length).toBeLessThan(0.13);
    expect(movedFromSurvivors / KEYS.length).toBeLessThan(0.01);
  });

  it("spreads an unhealthy host's keys over the others and leaves the rest in place", () => {
    const hosts = fakeHosts(8);
    const lb = maglevFactory.create(hosts, lbOptions());
    const home = KEYS.map((key) => lb.chooseHost({ hashKey: key })!);
    hosts[3]!.up = false;
    const landed = new Map<number, number>();
    KEYS.forEach((key, i) => {
      const now = lb.chooseHost({ hashKey: key })!;
      expect(now.healthy()).toBe(true);
      if (home[i] !== hosts[3]) expect(now).toBe(home[i]);
      else landed.set(now.index, (landed.get(now.index) ?? 0) + 1);
    });
    const orphans = home.filter((h) => h === hosts[3]).length;
    expect(landed.size).toBe(7);
    for (const count of landed.values()) expect(count / orphans).toBeLessThan(0.3);
  });

  it('returns undefined when all hosts are unhealthy or there are none', () => {
    const hosts = fakeHosts(4);
    const lb = maglevFactory.create(hosts, lbOptions());
    for (const h of hosts) h.up = false;
    expect(lb.chooseHost({ hashKey: 'a' })).toBeUndefined();
    expect(lb.chooseHost(undefined)).toBeUndefined();
    expect(maglevFactory.create([], lbOptions()).chooseHost({ hashKey: 'a' })).toBeUndefined();
  });

  it('takes the next host in the table on retry, the same one in every worker', () => {
    const hosts = fakeHosts(5);
    const a = maglevFactory.create(hosts, lbOptions(1));
    const b = maglevFactory.create(hosts, lbOptions(2));
    for (const key of KEYS.slice(0, 500)) {
      const first = a.chooseHost({ hashKey: key })!;
      const retry = a.chooseHost({ hashKey: key, tried: [first] })!;
      expect(retry).not.toBe(first);
      expect(b.chooseHost({ hashKey: key, tried: [first] })).toBe(retry);
    }
    const only = fakeHosts(1);
    expect(maglevFactory.create(only, lbOptions()).chooseHost({ hashKey: 'k', tried: [only[0]!] })).toBe(only[0]);
  });

  it('without a hash key picks like LB_RANDOM: evenly over the healthy hosts', () => {
    const hosts = fakeHosts(4);
    hosts[0]!.up = false;
    const counts = countPicks(maglevFactory.create(hosts, lbOptions(3)), 9000);
    expect(counts.get(0)).toBeUndefined();
    for (const i of [1, 2, 3]) expect(share(counts, i, 9000)).toBeCloseTo(1 / 3, 1);
  });
});
