// A cluster in one worker: its hosts, its balancer, and counted connections that respect
// circuit_breakers.max_connections across all workers.
import type { Cluster, ConnectCallbacks } from '../api/cluster.ts';
import type { ClusterSlots } from '../api/metrics.ts';
import type { StatsSink } from '../api/stats.ts';
import type { Host, LbContext, LoadBalancer, LoadBalancerFactory } from '../api/upstream.ts';
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
  /** process-wide slots for circuit breakers */
  readonly activeConnectionsSlot: number;
  readonly activeRequestsSlot: number;
  readonly pendingRequestsSlot: number;
  readonly activeRetriesSlot: number;
  readonly #lb: LoadBalancer;
  readonly #stats: StatsSink;
  readonly #counters: UpstreamCounters;

  constructor(config: ClusterConfig, slots: ClusterSlots, lbFactory: LoadBalancerFactory, stats: StatsSink, counters: UpstreamCounters) {
    this.name = config.name;
    this.config = config;
    this.statsBase = slots.stats;
    this.activeConnectionsSlot = slots.shared + clusterShared.offset.activeConnections;
    this.activeRequestsSlot = slots.shared + clusterShared.offset.activeRequests;
    this.pendingRequestsSlot = slots.shared + clusterShared.offset.pendingRequests;
    this.activeRetriesSlot = slots.shared + clusterShared.offset.activeRetries;
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

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const host = this.#lb.chooseHost(ctx);
    if (!host) this.#stats.inc(this.statsBase + C.noHealthyHost);
    return host;
  }

  connect(host: Host, callbacks: ConnectCallbacks): void {
    if (!this.#counters.tryAcquire(this.activeConnectionsSlot, this.config.circuitBreakers.maxConnections)) {
      this.#stats.inc(this.statsBase + C.connectionOverflow);
      callbacks.onFailure('overflow', undefined);
      return;
    }
    new CountedUpstreamConnection(host as SharedHost, this.config.connectTimeoutMs, this.activeConnectionsSlot, this.#stats, this.#counters, callbacks);
  }
}
