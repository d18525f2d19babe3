// All clusters of one config snapshot, in one worker.
import type { ClusterManager } from '../api/cluster.ts';
import type { SharedPlan } from '../api/metrics.ts';
import type { StatsSink } from '../api/stats.ts';
import type { LbType, LoadBalancerFactory } from '../api/upstream.ts';
import type { ClusterConfig } from '../config/types.ts';
import type { UpstreamCounters } from '../shared/upstream-counters.ts';
import { ClusterRuntime } from './cluster.ts';

export class ClusterManagerRuntime implements ClusterManager {
  readonly #clusters = new Map<string, ClusterRuntime>();

  constructor(
    configs: readonly ClusterConfig[],
    plan: SharedPlan,
    balancers: ReadonlyMap<LbType, LoadBalancerFactory>,
    stats: StatsSink,
    counters: UpstreamCounters,
  ) {
    for (const c of configs) {
      const factory = balancers.get(c.lbType);
      if (!factory) throw new Error(`no load balancer ${c.lbType} (cluster ${c.name})`);
      this.#clusters.set(c.name, new ClusterRuntime(c, plan.clusters[c.name]!, factory, stats, counters));
    }
  }

  get(name: string): ClusterRuntime | undefined {
    return this.#clusters.get(name);
  }
}
