// Objects every `proxy` filter of a worker shares, whatever its listener or protocol (the
// upstream pools and the request timeout queues), and what each listener builds once for all its
// connections and requests, HTTP and RPC alike: the request context and the connection hooks.
import type { FilterEnv } from '../../../api/filter.ts';
import type { Router } from '../../../api/router.ts';
import type { CodecError } from '../../../common/errors.ts';
import { TimeoutQueues } from '../../../common/timeout-queue.ts';
import { listenerScope } from '../../../metrics/catalog.ts';
import { PoolManager } from '../../../pool/pool-manager.ts';
import type { HttpParseError } from '../../../protocol/http1/parse-error.ts';
import type { ListenerProxyContext } from '../../../proxy/listener-context.ts';
import type { Http1ConnectionHooks } from '../../../stream/http1/server-connection.ts';
import type { RpcServerHooks } from '../../../stream/xprotocol/server-connection.ts';

const L = listenerScope.offset;

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

/** The listener's connection counters and protocol-error log, for HTTP and RPC connections. */
export function listenerConnectionHooks(env: FilterEnv): Http1ConnectionHooks & RpcServerHooks {
  const { stats, logger } = env;
  const lb = env.listener.statsBase;
  const protocolError = (err: HttpParseError | CodecError): void => {
    stats.inc(lb + L.protocolError);
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ listener: env.listener.name, code: err.code, status: 'status' in err ? err.status : undefined }, err.message);
    }
  };
  return {
    countRead: (n) => stats.add(lb + L.bytesRead, n),
    countWrite: (n) => stats.add(lb + L.bytesWrite, n),
    protocolError,
    codecError: protocolError,
    headerTimeout: () => stats.inc(lb + L.headerTimeout),
    heartbeat: () => stats.inc(lb + L.heartbeat),
    idleTimeout: () => stats.inc(lb + L.connectionIdleTimeout),
  };
}
