// Objects every `proxy` filter of a worker shares, whatever its listener or protocol: the
// upstream pools and the request timeout queues.
import type { FilterEnv } from '../../../api/filter.ts';
import { TimeoutQueues } from '../../../common/timeout-queue.ts';
import { PoolManager } from '../../../pool/pool-manager.ts';

const POOLS = Symbol('upstream-pools');
const TIMEOUTS = Symbol('timeout-queues');

export function workerPools(env: FilterEnv): PoolManager {
  return env.scope.get(POOLS, () => new PoolManager(env.stats, env.counters));
}

export function workerTimeouts(env: FilterEnv): TimeoutQueues {
  return env.scope.get(TIMEOUTS, () => new TimeoutQueues());
}
