// The upstream HTTP/1 pools of one worker: one per (cluster, host), created on first use.
import type { Cluster, SharedCounters, UpstreamHost } from '../api/cluster.ts';
import type { StatsSink } from '../api/stats.ts';
import { hostScope } from '../metrics/catalog.ts';
import type { Http1Limits } from '../protocol/http1/decoder.ts';
import { Http1Pool } from './http1-pool.ts';

const H = hostScope.offset;

/** Upstream (response) parsing limits: generous, an upstream is trusted more than a client. */
export const UPSTREAM_LIMITS: Http1Limits = { maxHeaderBytes: 96 * 1024, maxHeaders: 200, maxRequestLine: 64 * 1024, maxBodyBytes: 0 };

/** MOSN's cluster idle_timeout 0 means never; a pooled connection still needs some bound. */
const DEFAULT_UPSTREAM_IDLE_MS = 60_000;

export class PoolManager {
  readonly #pools = new Map<Cluster, Map<UpstreamHost, Http1Pool>>();
  readonly #stats: StatsSink;
  readonly #counters: SharedCounters;

  constructor(stats: StatsSink, counters: SharedCounters) {
    this.#stats = stats;
    this.#counters = counters;
  }

  http1(cluster: Cluster, host: UpstreamHost): Http1Pool {
    let byHost = this.#pools.get(cluster);
    if (byHost === undefined) this.#pools.set(cluster, (byHost = new Map()));
    let pool = byHost.get(host);
    if (pool === undefined) {
      const stats = this.#stats;
      const counters = this.#counters;
      const limits = cluster.limits;
      pool = new Http1Pool(cluster, host, {
        limits: UPSTREAM_LIMITS,
        idleTimeoutMs: cluster.idleTimeoutMs || DEFAULT_UPSTREAM_IDLE_MS,
        maxRequestsPerConnection: cluster.maxRequestsPerConnection,
        maxPendingRequests: limits.maxPendingRequests,
        countRead: (h, n) => stats.add(h.statsBase + H.bytesRead, n),
        countWrite: (h, n) => stats.add(h.statsBase + H.bytesWrite, n),
        acquirePending: () => counters.tryAcquire(cluster.slots.pendingRequests, limits.maxPendingRequests),
        releasePending: () => counters.decrement(cluster.slots.pendingRequests),
      });
      byHost.set(host, pool);
    }
    return pool;
  }

  closeIdle(): void {
    for (const byHost of this.#pools.values()) for (const pool of byHost.values()) pool.closeIdle();
  }
}
