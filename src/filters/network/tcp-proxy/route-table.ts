// tcp_proxy routes: first match wins. Unlike MOSN (where an empty list never matches, so a route
// without addresses is dead), an empty list matches anything, as in Envoy.
import { BlockList, type Socket } from 'node:net';
import type { CidrRange, PortRange, TcpProxyConfig } from './config.ts';

interface CompiledRoute {
  cluster: string;
  source: BlockList | undefined;
  destination: BlockList | undefined;
  sourcePorts: PortRange[];
  destinationPorts: PortRange[];
}

function blockList(ranges: CidrRange[]): BlockList | undefined {
  if (ranges.length === 0) return undefined;
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return list;
}

function inPorts(ranges: PortRange[], port: number | undefined): boolean {
  if (ranges.length === 0) return true;
  if (port === undefined) return false;
  return ranges.some((r) => port >= r.min && port <= r.max);
}

function inList(list: BlockList | undefined, address: string | undefined, family: string | undefined): boolean {
  if (!list) return true;
  if (!address) return false;
  return list.check(address, family === 'IPv6' ? 'ipv6' : 'ipv4');
}

export class TcpRouteTable {
  readonly #fixed: string | undefined;
  readonly #routes: CompiledRoute[];

  constructor(config: TcpProxyConfig) {
    this.#fixed = config.cluster;
    this.#routes = config.routes.map((r) => ({
      cluster: r.cluster,
      source: blockList(r.sourceAddrs),
      destination: blockList(r.destinationAddrs),
      sourcePorts: r.sourcePorts,
      destinationPorts: r.destinationPorts,
    }));
  }

  clusterFor(socket: Socket): string | undefined {
    if (this.#fixed) return this.#fixed;
    for (const r of this.#routes) {
      if (!inList(r.source, socket.remoteAddress, socket.remoteFamily)) continue;
      if (!inPorts(r.sourcePorts, socket.remotePort)) continue;
      if (!inList(r.destination, socket.localAddress, socket.localFamily)) continue;
      if (!inPorts(r.destinationPorts, socket.localPort)) continue;
      return r.cluster;
    }
    return undefined;
  }
}
