// The `proxy` network filter: MOSN's L7 entry. It finds the connection's protocol (configured,
// or detected from the first bytes), then hands the socket to that protocol's stream layer:
// HTTP/1.1 here, Bolt/Dubbo in rpc-listener.ts. Unknown bytes close the connection, or go to the
// next filter (tcp_proxy) with fallback_for_unknown_protocol.
import type { Socket } from 'node:net';
import type { FilterEnv, NetworkFilter, NetworkFilterFactory, NextFilter } from '../../../api/filter.ts';
import { listenerScope } from '../../../metrics/catalog.ts';
import type { HttpProxyContext } from '../../../proxy/http/context.ts';
import { DEFAULT_HTTP_PROXY_OPTIONS } from '../../../proxy/http/options.ts';
import { DownstreamRequest } from '../../../proxy/http/downstream-request.ts';
import { Http1ServerConnection, type Http1ConnectionHooks, type Http1ServerOptions } from '../../../stream/http1/server-connection.ts';
import type { ServerHandlerFactory } from '../../../stream/http1/types.ts';
import { parseProxyConfig, type DownstreamProtocol, type ProxyFilterConfig } from './config.ts';
import { ProtocolSniffer } from './protocol-sniffer.ts';
import { RpcListener } from './rpc-listener.ts';
import { listenerConnectionHooks, listenerProxyContext } from './worker-services.ts';

const L = listenerScope.offset;

class ProxyFilter implements NetworkFilter {
  readonly #config: ProxyFilterConfig;
  readonly #env: FilterEnv;
  readonly #next: NextFilter;
  readonly #serverOptions: Http1ServerOptions;
  readonly #hooks: Http1ConnectionHooks;
  readonly #factory: ServerHandlerFactory;
  readonly #sniffer: ProtocolSniffer | undefined;
  readonly #rpc: RpcListener;

  constructor(config: ProxyFilterConfig, env: FilterEnv, next: NextFilter) {
    this.#config = config;
    this.#env = env;
    this.#next = next;
    const router = env.routers.get(config.routerConfigName);
    if (!router) throw new Error(`router ${config.routerConfigName} missing from the snapshot`);
    // extend_config.Http1.idle_timeout, else the listener's connection_idle_timeout, else 90 s
    const options = { ...config.http, idleTimeoutMs: config.http.idleTimeoutMs || env.listener.idleTimeoutMs || DEFAULT_HTTP_PROXY_OPTIONS.idleTimeoutMs };
    const base = listenerProxyContext(env, router);
    const ctx: HttpProxyContext = { ...base, options };
    this.#serverOptions = options; // the proxy's options include the connection's
    const hooks = listenerConnectionHooks(env);
    this.#hooks = hooks;
    this.#factory = (stream) => new DownstreamRequest(ctx, stream);
    this.#sniffer =
      config.protocols.length > 1
        ? new ProtocolSniffer(config.protocols, env.rpcCodecs, (s, p, h) => this.#dispatch(s, p, h), (s, h, h2) => this.#unknown(s, h, h2))
        : undefined;
    this.#rpc = new RpcListener(config, env, base, hooks);
  }

  onConnection(socket: Socket, head: Buffer | undefined): void {
    if (this.#sniffer) this.#sniffer.sniff(socket, head);
    else this.#dispatch(socket, this.#config.protocols[0]!, head);
  }

  #dispatch(socket: Socket, protocol: DownstreamProtocol, head: Buffer | undefined): void {
    switch (protocol) {
      case 'Http1': {
        const conn = new Http1ServerConnection(socket, this.#serverOptions, this.#factory, this.#hooks);
        this.#env.onDrain(socket, () => conn.drain());
        conn.start(head);
        return;
      }
      default:
        this.#rpc.accept(socket, protocol, head);
    }
  }

  #unknown(socket: Socket, head: Buffer | undefined, http2: boolean): void {
    if (this.#config.fallbackForUnknownProtocol && this.#next) {
      this.#next(socket, head);
      return;
    }
    this.#env.stats.inc(this.#env.listener.statsBase + L.protocolError);
    if (http2) this.#env.logger.debug({ listener: this.#env.listener.name }, 'HTTP/2 preface on a listener without HTTP/2: closing');
    socket.destroy();
  }
}

export const proxyFilter: NetworkFilterFactory<ProxyFilterConfig> = {
  name: 'proxy',
  parseConfig: (node) => parseProxyConfig(node),
  create: (config, env, next) => new ProxyFilter(config, env, next),
};
