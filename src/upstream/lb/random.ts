// LB_RANDOM (MOSN randomLoadBalancer): a uniform pick; if that host is unhealthy (or already
// tried by this request) degrade to round robin over the healthy ones, as MOSN does, which keeps
// the spread even instead of re-rolling.
import type { Host, LbContext, LoadBalancer, LoadBalancerFactory } from '../../api/upstream.ts';
import { findHealthy, isFreshHealthy, randomIndex } from './host-scan.ts';

export class RandomLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  readonly #random: () => number;
  /** cursor of the round-robin fallback */
  #next = 0;

  constructor(hosts: readonly Host[], random: () => number) {
    this.#hosts = hosts;
    this.#random = random;
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    if (n === 0) return undefined;
    const tried = ctx?.tried;
    const host = hosts[randomIndex(this.#random, n)]!;
    if (isFreshHealthy(host, tried)) return host;
    const pos = findHealthy(hosts, this.#next, tried);
    if (pos < 0) return undefined;
    this.#next = pos + 1 === n ? 0 : pos + 1;
    return hosts[pos];
  }
}

export const randomFactory: LoadBalancerFactory = {
  name: 'LB_RANDOM',
  create(hosts, options) {
    return new RandomLb(hosts, options.random);
  },
};
