// LB_ROUNDROBIN (MOSN roundRobinLoadBalancer): unweighted, skips unhealthy hosts, starts at a
// random position so workers and fresh balancers do not all hit host 0 first. All hosts
// unhealthy → undefined (MOSN; no Envoy panic mode, which would send traffic to hosts known to
// be down). The cursor is per balancer instance, i.e. per worker.
import type { Host, LbContext, LoadBalancer, LoadBalancerFactory } from '../../api/upstream.ts';
import { findHealthy, randomIndex } from './host-scan.ts';

export class RoundRobinLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  #next: number;

  constructor(hosts: readonly Host[], start: number) {
    this.#hosts = hosts;
    this.#next = start;
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    if (n === 0) return undefined;
    const pos = findHealthy(hosts, this.#next, ctx?.tried);
    if (pos < 0) return undefined;
    this.#next = pos + 1 === n ? 0 : pos + 1;
    return hosts[pos];
  }
}

export const roundRobinFactory: LoadBalancerFactory = {
  name: 'LB_ROUNDROBIN',
  create(hosts, options) {
    return new RoundRobinLb(hosts, hosts.length === 0 ? 0 : randomIndex(options.random, hosts.length));
  },
};
