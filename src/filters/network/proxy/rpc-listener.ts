// The RPC side of the `proxy` filter: a downstream Bolt/Dubbo connection is handed to the
// multiplexed RPC stream layer, each request to an RpcRequest. Upstreams speak the same protocol.
import type { Socket } from 'node:net';
import type { FilterEnv } from '../../../api/filter.ts';
import type { RpcCodec } from '../../../api/rpc-codec.ts';
import { createDubboCodec } from '../../../protocol/dubbo/index.ts';
import type { ListenerProxyContext } from '../../../proxy/listener-context.ts';
import type { RpcProxyContext } from '../../../proxy/rpc/context.ts';
import { RpcRequest } from '../../../proxy/rpc/rpc-request.ts';
import { RpcServerConnection, type RpcRequestSink, type RpcServerHooks, type RpcServerOptions } from '../../../stream/xprotocol/server-connection.ts';
import { DEFAULT_MAX_RPC_FRAME, type ProxyFilterConfig, type RpcProtocol } from './config.ts';

/** MOSN's global default timeout for a request without its own or a route's */
const DEFAULT_RPC_TIMEOUT_MS = 60_000;
/** MOSN reads Dubbo attachments (interface, group) into headers only on listeners so named. */
const DUBBO_ATTACHMENT_LISTENERS = new Set(['ingress_dubbo', 'egress_dubbo']);

/** What every connection of one protocol on this listener shares. */
interface ListenerProtocol {
  readonly ctx: RpcProxyContext;
  readonly options: RpcServerOptions;
  readonly onRequest: RpcRequestSink;
}

export class RpcListener {
  readonly #env: FilterEnv;
  readonly #base: ListenerProxyContext;
  readonly #config: ProxyFilterConfig;
  readonly #hooks: RpcServerHooks;
  readonly #contexts = new Map<RpcProtocol, ListenerProtocol>();

  constructor(config: ProxyFilterConfig, env: FilterEnv, base: ListenerProxyContext, hooks: RpcServerHooks) {
    this.#env = env;
    this.#base = base;
    this.#config = config;
    this.#hooks = hooks;
  }

  #context(protocol: RpcProtocol): ListenerProtocol {
    let found = this.#contexts.get(protocol);
    if (found === undefined) {
      const env = this.#env;
      let codec: RpcCodec = env.rpcCodecs.get(protocol)!;
      if (protocol === 'dubbo' && DUBBO_ATTACHMENT_LISTENERS.has(env.listener.name)) codec = createDubboCodec({ attachmentsOverride: true });
      const maxFrameSize = this.#config.maxRpcFrameBytes[protocol];
      const ctx: RpcProxyContext = {
        ...this.#base,
        codec,
        defaultTimeoutMs: DEFAULT_RPC_TIMEOUT_MS,
        // the cap is on what clients send; upstream connections are shared by every listener of
        // the worker and their answers are not held to one listener's smaller cap
        mux: { maxFrameSize: Math.max(maxFrameSize, DEFAULT_MAX_RPC_FRAME) },
      };
      const options: RpcServerOptions = { maxFrameSize, idleTimeoutMs: env.listener.idleTimeoutMs, goAwayOnDrain: this.#config.boltGoAway };
      found = { ctx, options, onRequest: (stream) => new RpcRequest(ctx, stream) };
      this.#contexts.set(protocol, found);
    }
    return found;
  }

  accept(socket: Socket, protocol: RpcProtocol, head: Buffer | undefined): void {
    const { ctx, options, onRequest } = this.#context(protocol);
    const conn = new RpcServerConnection(socket, ctx.codec, options, onRequest, this.#hooks);
    this.#env.onDrain(socket, () => conn.drain());
    conn.start(head);
  }
}
