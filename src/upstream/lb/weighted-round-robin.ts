// LB_WEIGHTED_ROUNDROBIN (MOSN WRRLoadBalancer): an EDF schedule on host weight; with equal
// weights (or fewer than two hosts) it is plain round robin, as in MOSN. Up to n scheduled picks
// look for a healthy host not yet tried by this request, then round robin over the healthy ones.
import type { Host, LbContext, LoadBalancer, LoadBalancerFactory } from '../../api/upstream.ts';
import { EdfScheduler } from './edf-scheduler.ts';
import { findHealthy, isFreshHealthy, randomIndex } from './host-scan.ts';
import { allEqual, clampedWeights } from './host-weight.ts';
import { RoundRobinLb } from './round-robin.ts';

export class WeightedRoundRobinLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  readonly #weights: Float64Array;
  readonly #edf: EdfScheduler;
  #next = 0;

  constructor(hosts: readonly Host[], weights: Float64Array, random: () => number) {
    this.#hosts = hosts;
    this.#weights = weights;
    this.#edf = new EdfScheduler(weights);
    // MOSN: skip a random number of picks so every balancer does not start on the same host
    for (let k = randomIndex(random, hosts.length); k > 0; k--) this.#edf.requeue(weights[this.#edf.peek()]!);
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    const tried = ctx?.tried;
    const edf = this.#edf;
    for (let k = 0; k < n; k++) {
      const i = edf.peek();
      edf.requeue(this.#weights[i]!);
      const host = hosts[i]!;
      if (isFreshHealthy(host, tried)) return host;
    }
    const pos = findHealthy(hosts, this.#next, tried);
    if (pos < 0) return undefined;
    this.#next = pos + 1 === n ? 0 : pos + 1;
    return hosts[pos];
  }
}

export const weightedRoundRobinFactory: LoadBalancerFactory = {
  name: 'LB_WEIGHTED_ROUNDROBIN',
  create(hosts, options) {
    const weights = clampedWeights(hosts);
    if (hosts.length < 2 || allEqual(weights)) {
      return new RoundRobinLb(hosts, hosts.length === 0 ? 0 : randomIndex(options.random, hosts.length));
    }
    return new WeightedRoundRobinLb(hosts, weights, options.random);
  },
};
