// Objects every `proxy` filter of a worker shares, whatever its listener or protocol (the
// upstream pools and the request timeout queues), and the per-listener context built on them.
import type { FilterEnv } from '../../../api/filter.ts';
import type { Router } from '../../../api/router.ts';
import { TimeoutQueues } from '../../../common/timeout-queue.ts';
import { PoolManager } from '../../../pool/pool-manager.ts';
import type { ListenerProxyContext } from '../../../proxy/listener-context.ts';

const POOLS = Symbol('upstream-pools');
const TIMEOUTS = Symbol('timeout-queues');

/** What HTTP and RPC requests of this listener share; each protocol adds its own fields. */
export function listenerProxyContext(env: FilterEnv, router: Router): ListenerProxyContext {
  return {
    listener: env.listener,
    stats: env.stats,
    counters: env.counters,
    router,
    clusters: env.clusters,
    pools: env.scope.get(POOLS, () => new PoolManager(env.stats, env.counters)),
    logger: env.logger,
    accessLogs: env.accessLogs,
    timeouts: env.scope.get(TIMEOUTS, () => new TimeoutQueues()),
  };
}
