// A cluster in one worker: its hosts, its balancer, and counted connections that respect
// circuit_breakers.max_connections across all workers.
import type { CircuitBreakerLimits, Cluster, ClusterSlotsInUse, ConnectCallbacks, UpstreamHost } from '../api/cluster.ts';
import type { ClusterSlots } from '../api/metrics.ts';
import type { StatsSink } from '../api/stats.ts';
import type { LbContext, LoadBalancer, LoadBalancerFactory } from '../api/upstream.ts';
import type { ClusterConfig } from '../config/types.ts';
import { clusterScope, clusterShared } from '../metrics/catalog.ts';
import type { UpstreamCounters } from '../shared/upstream-counters.ts';
import { SharedHost } from './shared-host.ts';
import { CountedUpstreamConnection } from './upstream-connection.ts';

const C = clusterScope.offset;

export class ClusterRuntime implements Cluster {
  readonly name: string;
  readonly config: ClusterConfig;
  readonly hosts: readonly SharedHost[];
  readonly statsBase: number;
  readonly slots: ClusterSlotsInUse;
  readonly limits: CircuitBreakerLimits;
  readonly #lb: LoadBalancer;
  readonly #stats: StatsSink;
  readonly #counters: UpstreamCounters;

  constructor(config: ClusterConfig, slots: ClusterSlots, lbFactory: LoadBalancerFactory, stats: StatsSink, counters: UpstreamCounters) {
    this.name = config.name;
    this.config = config;
    this.statsBase = slots.stats;
    const o = clusterShared.offset;
    this.slots = {
      activeConnections: slots.shared + o.activeConnections,
      activeRequests: slots.shared + o.activeRequests,
      pendingRequests: slots.shared + o.pendingRequests,
      activeRetries: slots.shared + o.activeRetries,
    };
    this.limits = config.circuitBreakers;
    this.#stats = stats;
    this.#counters = counters;
    this.hosts = config.hosts.map((h, i) => new SharedHost(config.name, h, i, slots.hosts[h.address]!, counters));
    this.#lb = lbFactory.create(this.hosts, {
      choiceCount: config.choiceCount,
      activeRequestBias: config.activeRequestBias,
      random: Math.random,
    });
  }

  get connectTimeoutMs(): number {
    return this.config.connectTimeoutMs;
  }

  get keepalive(): { intervalMs: number; timeoutMs: number } {
    return this.config.keepalive;
  }

  get idleTimeoutMs(): number {
    return this.config.idleTimeoutMs;
  }

  get maxRequestsPerConnection(): number {
    return this.config.maxRequestsPerConnection;
  }

  chooseHost(ctx: LbContext | undefined): UpstreamHost | undefined {
    // every host the balancer knows is one of this cluster's SharedHosts
    const host = this.#lb.chooseHost(ctx) as SharedHost | undefined;
    if (!host) this.#stats.inc(this.statsBase + C.noHealthyHost);
    return host;
  }

  connect(host: UpstreamHost, callbacks: ConnectCallbacks, limited = true): void {
    if (!this.#counters.tryAcquire(this.slots.activeConnections, limited ? this.limits.maxConnections : 0)) {
      this.#stats.inc(this.statsBase + C.connectionOverflow);
      callbacks.onFailure('overflow', undefined);
      return;
    }
    new CountedUpstreamConnection(host as SharedHost, this.config.connectTimeoutMs, this.slots.activeConnections, this.#stats, this.#counters, callbacks);
  }
}
