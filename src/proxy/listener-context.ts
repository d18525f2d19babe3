// What every proxied request, HTTP or RPC, needs from its listener and worker: built once per
// listener and extended by each protocol's context.
import type { ClusterManager, SharedCounters } from '../api/cluster.ts';
import type { AccessLogSink, ListenerInfo } from '../api/filter.ts';
import type { Logger } from '../api/logger.ts';
import type { Router } from '../api/router.ts';
import type { StatsSink } from '../api/stats.ts';
import type { TimeoutQueues } from '../common/timeout-queue.ts';
import type { PoolManager } from '../pool/pool-manager.ts';

export interface ListenerProxyContext {
  readonly listener: ListenerInfo;
  readonly stats: StatsSink;
  readonly counters: SharedCounters;
  readonly router: Router;
  readonly clusters: ClusterManager;
  readonly pools: PoolManager;
  readonly logger: Logger;
  readonly accessLogs: readonly AccessLogSink[];
  /** the worker's request timeouts, one queue per duration */
  readonly timeouts: TimeoutQueues;
}
