// What a proxied RPC request needs from its listener and worker, built once per listener.
import type { ClusterManager, SharedCounters } from '../../api/cluster.ts';
import type { AccessLogSink, ListenerInfo } from '../../api/filter.ts';
import type { Logger } from '../../api/logger.ts';
import type { Router } from '../../api/router.ts';
import type { RpcCodec } from '../../api/rpc-codec.ts';
import type { StatsSink } from '../../api/stats.ts';
import type { TimeoutQueues } from '../../common/timeout-queue.ts';
import type { MultiplexClientOptions, PoolManager } from '../../pool/pool-manager.ts';

export interface RpcProxyContext {
  readonly listener: ListenerInfo;
  readonly stats: StatsSink;
  readonly counters: SharedCounters;
  readonly router: Router;
  readonly clusters: ClusterManager;
  readonly pools: PoolManager;
  /** the upstream protocol: the same as the downstream's */
  readonly codec: RpcCodec;
  readonly logger: Logger;
  readonly accessLogs: readonly AccessLogSink[];
  /** a route without `timeout` and a frame without its own gets this (MOSN's 60 s) */
  readonly defaultTimeoutMs: number;
  readonly mux: MultiplexClientOptions;
  /** the worker's request timeouts, one queue per duration */
  readonly timeouts: TimeoutQueues;
}
