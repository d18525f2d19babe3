// One suite every load balancer must pass, whatever its algorithm (lb.test.ts runs it against
// every factory in builtinLoadBalancers).
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Host, LbContext, LoadBalancerFactory } from '../../src/api/upstream.ts';
import { FakeHost, fakeHosts, lbOptions, seededRandom } from '../unit/upstream/lb/fake-host.ts';

const WEIGHT_SETS: Record<string, (i: number) => number> = {
  'equal weights': () => 1,
  'mixed weights': (i) => [1, 3, 7, 20, 64, 128, 2, 5][i % 8]!,
};

/** distinct hash keys, so maglev spreads too; prebuilt so the pick loops allocate nothing */
const CONTEXTS: LbContext[] = Array.from({ length: 1024 }, (_, i) => ({ hashKey: `client-${i}` }));
const ctxAt = (i: number): LbContext => CONTEXTS[i & 1023]!;

/** Bytes the V8 heap grew by while `fn` ran, counting what garbage collections reclaimed. */
function allocatedDuring(fn: () => void): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  fn();
  const after = v8.getHeapStatistics().used_heap_size;
  const stats = profiler.stop()?.statistics ?? [];
  let reclaimed = 0;
  for (const gc of stats) reclaimed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return after - before + reclaimed;
}

export function describeLbConformance(factory: LoadBalancerFactory): void {
  describe(`${factory.name} conformance`, () => {
    it('returns undefined for an empty host list', () => {
      const lb = factory.create([], lbOptions());
      expect(lb.chooseHost(undefined)).toBeUndefined();
      expect(lb.chooseHost(ctxAt(0))).toBeUndefined();
      expect(lb.chooseHost({ hashKey: 'x', tried: [new FakeHost(0)] })).toBeUndefined();
    });

    it('returns undefined when every host is unhealthy', () => {
      const hosts = fakeHosts(5, (i) => i + 1);
      const lb = factory.create(hosts, lbOptions());
      for (const h of hosts) h.up = false;
      for (let i = 0; i < 50; i++) expect(lb.chooseHost(ctxAt(i))).toBeUndefined();
    });

    for (const [label, weightOf] of Object.entries(WEIGHT_SETS)) {
      describe(label, () => {
        it('never returns an unhealthy host while a healthy one exists, as health flaps', () => {
          const random = seededRandom(42);
          const hosts = fakeHosts(8, weightOf);
          const lb = factory.create(hosts, lbOptions(3));
          for (let round = 0; round < 200; round++) {
            for (const h of hosts) h.up = random() < 0.4;
            hosts[Math.floor(random() * 8)]!.up = true;
            for (let i = 0; i < 20; i++) {
              const host = lb.chooseHost(ctxAt(round * 20 + i)) as FakeHost | undefined;
              expect(host?.up).toBe(true);
            }
          }
        });

        it('picks every healthy host at least once in 1000 picks (distinct keys)', () => {
          const hosts = fakeHosts(8, weightOf);
          hosts[2]!.up = false;
          const lb = factory.create(hosts, lbOptions(5));
          const seen = new Set<Host>();
          for (let i = 0; i < 1000; i++) seen.add(lb.chooseHost(ctxAt(i))!);
          expect([...seen].map((h) => h.index).sort()).toEqual([0, 1, 3, 4, 5, 6, 7]);
        });

        it('avoids hosts this request tried while an untried healthy host exists', () => {
          const random = seededRandom(7);
          const hosts = fakeHosts(8, weightOf);
          const lb = factory.create(hosts, lbOptions(9));
          for (let i = 0; i < 500; i++) {
            const tried = hosts.filter(() => random() < 0.5);
            for (const h of hosts) h.up = random() < 0.8;
            const untriedHealthy = hosts.some((h) => h.up && !tried.includes(h));
            const host = lb.chooseHost({ hashKey: `k${i}`, tried }) as FakeHost | undefined;
            if (untriedHealthy) expect(tried.includes(host!)).toBe(false);
            else if (hosts.some((h) => h.up)) expect(host?.up).toBe(true);
            else expect(host).toBeUndefined();
          }
        });

        it('looks at O(1) hosts per pick, even with 2000 hosts', () => {
          const hosts = fakeHosts(2000, weightOf);
          const lb = factory.create(hosts, lbOptions());
          for (const h of hosts) h.looks = 0;
          const picks = 10_000;
          for (let i = 0; i < picks; i++) lb.chooseHost(ctxAt(i));
          const looks = hosts.reduce((sum, h) => sum + h.looks, 0);
          // health + load of choice_count (2) candidates is the most any balancer needs
          expect(looks / picks).toBeLessThanOrEqual(4);
        });

        it('allocates nothing per pick once warm', () => {
          const hosts = fakeHosts(8, weightOf);
          hosts[1]!.up = false; // exercise the skip path too
          hosts[4]!.requests = 3;
          hosts[5]!.connections = 2;
          const lb = factory.create(hosts, lbOptions());
          const loop = (n: number) => {
            for (let i = 0; i < n; i++) lb.chooseHost(ctxAt(i));
          };
          loop(200_000);
          const picks = 500_000;
          // One 16-byte heap number per pick would be 8 MB, in every trial. The smallest of three
          // trials ignores code the JIT happens to allocate during one of them (on a busy machine
          // a background recompilation can land inside the measured loop).
          const trials = [0, 1, 2].map(() => allocatedDuring(() => loop(picks)));
          expect(Math.min(...trials)).toBeLessThan(picks / 2);
        });
      });
    }

    it('accepts an undefined context', () => {
      const hosts = fakeHosts(3);
      expect(hosts).toContain(factory.create(hosts, lbOptions()).chooseHost(undefined));
    });
  });
}
