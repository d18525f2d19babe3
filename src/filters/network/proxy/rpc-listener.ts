// The RPC side of the `proxy` filter: a downstream Bolt/Dubbo connection is handed to the
// multiplexed RPC stream layer, each request to an RpcRequest. Upstreams speak the same protocol.
import type { Socket } from 'node:net';
import type { FilterEnv } from '../../../api/filter.ts';
import type { Router } from '../../../api/router.ts';
import type { RpcCodec } from '../../../api/rpc-codec.ts';
import { listenerScope } from '../../../metrics/catalog.ts';
import type { PoolManager } from '../../../pool/pool-manager.ts';
import { createDubboCodec } from '../../../protocol/dubbo/index.ts';
import type { RpcProxyContext } from '../../../proxy/rpc/context.ts';
import { RpcRequest } from '../../../proxy/rpc/rpc-request.ts';
import { RpcServerConnection, type RpcServerHooks, type RpcServerOptions } from '../../../stream/xprotocol/server-connection.ts';
import type { ProxyFilterConfig } from './config.ts';

const L = listenerScope.offset;
/** MOSN's global default timeout for a request without its own or a route's */
const DEFAULT_RPC_TIMEOUT_MS = 60_000;
/** MOSN reads Dubbo attachments (interface, group) into headers only on listeners so named. */
const DUBBO_ATTACHMENT_LISTENERS = new Set(['ingress_dubbo', 'egress_dubbo']);

export class RpcListener {
  readonly #env: FilterEnv;
  readonly #router: Router;
  readonly #pools: PoolManager;
  readonly #options: RpcServerOptions;
  readonly #hooks: RpcServerHooks;
  readonly #maxFrameSize: number;
  readonly #contexts = new Map<string, RpcProxyContext>();

  constructor(config: ProxyFilterConfig, env: FilterEnv, router: Router, pools: PoolManager) {
    this.#env = env;
    this.#router = router;
    this.#pools = pools;
    this.#maxFrameSize = config.maxRpcFrameBytes;
    this.#options = { maxFrameSize: config.maxRpcFrameBytes, idleTimeoutMs: env.listener.idleTimeoutMs, goAwayOnDrain: config.boltGoAway };
    const { stats, logger } = env;
    const lb = env.listener.statsBase;
    this.#hooks = {
      countRead: (n) => stats.add(lb + L.bytesRead, n),
      countWrite: (n) => stats.add(lb + L.bytesWrite, n),
      codecError: (err) => {
        stats.inc(lb + L.protocolError);
        if (logger.isLevelEnabled('debug')) logger.debug({ listener: env.listener.name, code: err.code }, err.message);
      },
      heartbeat: () => stats.inc(lb + L.heartbeat),
    };
  }

  #context(protocol: string): RpcProxyContext {
    let ctx = this.#contexts.get(protocol);
    if (ctx === undefined) {
      const env = this.#env;
      let codec: RpcCodec = env.rpcCodecs.get(protocol)!;
      if (protocol === 'dubbo' && DUBBO_ATTACHMENT_LISTENERS.has(env.listener.name)) codec = createDubboCodec({ attachmentsOverride: true });
      ctx = {
        listener: env.listener,
        stats: env.stats,
        counters: env.counters,
        router: this.#router,
        clusters: env.clusters,
        pools: this.#pools,
        codec,
        logger: env.logger,
        accessLogs: env.accessLogs,
        defaultTimeoutMs: DEFAULT_RPC_TIMEOUT_MS,
        mux: { maxFrameSize: this.#maxFrameSize },
      };
      this.#contexts.set(protocol, ctx);
    }
    return ctx;
  }

  accept(socket: Socket, protocol: string, head: Buffer | undefined): void {
    const ctx = this.#context(protocol);
    const conn = new RpcServerConnection(socket, ctx.codec, this.#options, (stream) => new RpcRequest(ctx, stream), this.#hooks);
    this.#env.onDrain(socket, () => conn.drain());
    conn.start(head);
  }
}
