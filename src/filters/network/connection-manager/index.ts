// MOSN's deprecated `connection_manager` network filter: its config is a whole router
// configuration (router_config_name + virtual_hosts) declared inline in the filter chain and
// registered with the other routers at load. It does nothing to connections; the `proxy` filter
// before it uses the router by name.
import type { Socket } from 'node:net';
import type { NetworkFilter, NetworkFilterFactory, NextFilter } from '../../../api/filter.ts';
import type { RouterConfig } from '../../../api/router.ts';
import { parseRouterConfig } from '../../../config/route.ts';

class DeclarationOnly implements NetworkFilter {
  readonly #next: NextFilter;
  constructor(next: NextFilter) {
    this.#next = next;
  }
  onConnection(socket: Socket, head: Buffer | undefined): void {
    // only reached when nothing before it took the connection
    if (this.#next) this.#next(socket, head);
    else socket.destroy();
  }
}

export const connectionManagerFilter: NetworkFilterFactory<RouterConfig> = {
  name: 'connection_manager',
  parseConfig: parseRouterConfig,
  create: (_config, _env, next) => new DeclarationOnly(next),
  routerOf: (config) => config,
};
