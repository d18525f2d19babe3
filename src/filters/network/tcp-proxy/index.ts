// The `tcp_proxy` network filter: an L4 proxy from a listener to a cluster.
import type { FilterEnv, NetworkFilter, NetworkFilterFactory } from '../../../api/filter.ts';
import { parseTcpProxyConfig, type TcpProxyConfig } from './config.ts';
import { TcpRouteTable } from './route-table.ts';
import { TcpProxySession } from './tcp-proxy-session.ts';

class TcpProxyFilter implements NetworkFilter {
  readonly #config: TcpProxyConfig;
  readonly #env: FilterEnv;
  readonly #routes: TcpRouteTable;
  readonly #idleTimeoutMs: number;

  constructor(config: TcpProxyConfig, env: FilterEnv) {
    this.#config = config;
    this.#env = env;
    this.#routes = new TcpRouteTable(config);
    // MOSN runs the listener's connection_idle_timeout and tcp_proxy's idle_timeout side by side
    const listenerIdle = env.listener.idleTimeoutMs;
    this.#idleTimeoutMs = listenerIdle > 0 ? Math.min(listenerIdle, config.idleTimeoutMs) : config.idleTimeoutMs;
  }

  onConnection(socket: import('node:net').Socket, head: Buffer | undefined): void {
    const name = this.#routes.clusterFor(socket);
    const cluster = name === undefined ? undefined : this.#env.clusters.get(name);
    if (!cluster) {
      this.#env.logger.debug({ listener: this.#env.listener.name }, 'tcp_proxy: no route for connection');
      socket.destroy();
      return;
    }
    new TcpProxySession(socket, head, cluster, this.#env, this.#idleTimeoutMs, this.#config.maxConnectAttempts);
  }
}

export const tcpProxyFilter: NetworkFilterFactory<TcpProxyConfig> = {
  name: 'tcp_proxy',
  parseConfig: parseTcpProxyConfig,
  create: (config, env) => new TcpProxyFilter(config, env),
};
