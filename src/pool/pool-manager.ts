// The upstream HTTP/1 pools of one worker: one per (cluster, host), created on first use.
import type { Cluster, SharedCounters, UpstreamHost } from '../api/cluster.ts';
import type { StatsSink } from '../api/stats.ts';
import { hostScope } from '../metrics/catalog.ts';
import type { Http1Limits } from '../protocol/http1/decoder.ts';
import type { RpcCodec } from '../api/rpc-codec.ts';
import { Http1Pool } from './http1-pool.ts';
import { MultiplexPool } from './multiplex-pool.ts';

const H = hostScope.offset;

export interface MultiplexClientOptions {
  maxFrameSize: number;
}

/** Upstream (response) parsing limits: generous, an upstream is trusted more than a client. */
export const UPSTREAM_LIMITS: Http1Limits = { maxHeaderBytes: 96 * 1024, maxHeaders: 200, maxRequestLine: 64 * 1024, maxBodyBytes: 0 };

/** MOSN's cluster idle_timeout 0 means never; a pooled connection still needs some bound. */
const DEFAULT_UPSTREAM_IDLE_MS = 60_000;

export class PoolManager {
  readonly #pools = new Map<Cluster, Map<UpstreamHost, Http1Pool>>();
  /** cluster -> codec -> host -> pool (no key strings built per request) */
  readonly #mux = new Map<Cluster, Map<RpcCodec, Map<UpstreamHost, MultiplexPool>>>();
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
        countRead: (h, n) => stats.add(h.statsBase + H.bytesRead, n),
        countWrite: (h, n) => stats.add(h.statsBase + H.bytesWrite, n),
        acquirePending: () => counters.tryAcquire(cluster.slots.pendingRequests, limits.maxPendingRequests),
        releasePending: () => counters.decrement(cluster.slots.pendingRequests),
        limitedConnections: limits.maxConnections > 0,
        slotFree: () => counters.read(cluster.slots.activeConnections) < limits.maxConnections,
        pendingAnywhere: () => counters.read(cluster.slots.pendingRequests),
      });
      byHost.set(host, pool);
    }
    return pool;
  }

  /**
   * The multiplexed pool for an RPC protocol: circuit_breakers.max_connections connections per
   * host (default 1), as MOSN sizes multiplex pools.
   */
  multiplex(cluster: Cluster, host: UpstreamHost, codec: RpcCodec, client: MultiplexClientOptions): MultiplexPool {
    let byCodec = this.#mux.get(cluster);
    if (byCodec === undefined) this.#mux.set(cluster, (byCodec = new Map()));
    let byHost = byCodec.get(codec);
    if (byHost === undefined) byCodec.set(codec, (byHost = new Map()));
    let pool = byHost.get(host);
    if (pool === undefined) {
      const stats = this.#stats;
      const n = cluster.limits.maxConnections;
      pool = new MultiplexPool(cluster, host, codec, {
        connections: n > 0 && n < 65535 ? n : 1,
        client: { maxFrameSize: client.maxFrameSize, keepaliveIntervalMs: cluster.keepalive.intervalMs, keepaliveTimeoutMs: cluster.keepalive.timeoutMs },
        countRead: (b) => stats.add(host.statsBase + H.bytesRead, b),
        countWrite: (b) => stats.add(host.statsBase + H.bytesWrite, b),
      });
      byHost.set(host, pool);
    }
    return pool;
  }
}
