// Test doubles for the balancers: plain Host objects whose health and load the test sets, and
// which count how often a balancer looked at them; plus a seeded random source.
import type { Host, LbContext, LbOptions, LoadBalancer } from '../../../../src/api/upstream.ts';

export class FakeHost implements Host {
  readonly address: string;
  readonly ip: string;
  readonly port: number;
  readonly index: number;
  readonly weight: number;
  readonly metadata: Readonly<Record<string, string>> = {};
  up = true;
  requests = 0;
  connections = 0;
  /** calls to healthy(), activeRequests() and activeConnections() */
  looks = 0;

  constructor(index: number, weight = 1, ip = `10.0.${index >> 8}.${index & 255}`, port = 8080) {
    this.index = index;
    this.weight = weight;
    this.ip = ip;
    this.port = port;
    this.address = `${ip}:${port}`;
  }

  healthy(): boolean {
    this.looks++;
    return this.up;
  }

  activeRequests(): number {
    this.looks++;
    return this.requests;
  }

  activeConnections(): number {
    this.looks++;
    return this.connections;
  }
}

export function fakeHosts(count: number, weightOf: (i: number) => number = () => 1): FakeHost[] {
  return Array.from({ length: count }, (_, i) => new FakeHost(i, weightOf(i)));
}

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function lbOptions(seed = 1, overrides: Partial<LbOptions> = {}): LbOptions {
  return { choiceCount: 2, activeRequestBias: 1, random: seededRandom(seed), ...overrides };
}

/** Picks `picks` times and counts the picks per host index; `undefined` picks under -1. */
export function countPicks(
  lb: LoadBalancer,
  picks: number,
  ctxFor: (i: number) => LbContext | undefined = () => undefined,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < picks; i++) {
    const host = lb.chooseHost(ctxFor(i));
    const key = host === undefined ? -1 : host.index;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function share(counts: Map<number, number>, index: number, total: number): number {
  return (counts.get(index) ?? 0) / total;
}
