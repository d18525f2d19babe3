// Route matching reads the addresses of real loopback sockets: the client binds a chosen
// 127.0.0.x source, the server listens on another 127.0.0.x (Linux routes all of 127/8 to lo).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpProxyConfig, TcpRoute } from '../../../../../src/filters/network/tcp-proxy/config.ts';
import { TcpRouteTable } from '../../../../../src/filters/network/tcp-proxy/route-table.ts';

let server: net.Server;
let port: number;
const accepted: net.Socket[] = [];
let onAccept: ((s: net.Socket) => void) | undefined;

beforeAll(async () => {
  server = net.createServer((s) => {
    accepted.push(s);
    onAccept?.(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.2', () => r()));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

/** The server side of a connection from `localAddress`. */
function acceptFrom(localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    onAccept = resolve;
    const c = net.connect({ host: '127.0.0.2', port, localAddress });
    c.on('error', reject);
    accepted.push(c);
  });
}

const route = (cluster: string, r: Partial<TcpRoute> = {}): TcpRoute => ({
  cluster,
  sourceAddrs: [],
  destinationAddrs: [],
  sourcePorts: [],
  destinationPorts: [],
  ...r,
});
const table = (routes: TcpRoute[], cluster?: string): TcpRouteTable =>
  new TcpRouteTable({ statPrefix: '', cluster, idleTimeoutMs: 1000, maxConnectAttempts: 1, routes } satisfies TcpProxyConfig);
const v4 = (address: string, prefix: number) => ({ address, prefix, family: 'ipv4' as const });

describe('TcpRouteTable', () => {
  it('a fixed cluster wins over routes (MOSN)', async () => {
    const s = await acceptFrom('127.0.0.3');
    expect(table([route('r', { sourceAddrs: [v4('127.0.0.3', 32)] })], 'fixed').clusterFor(s)).toBe('fixed');
  });

  it('matches source CIDRs, first match wins', async () => {
    const s = await acceptFrom('127.0.0.3');
    const t = table([route('other', { sourceAddrs: [v4('127.0.0.4', 32)] }), route('three', { sourceAddrs: [v4('127.0.0.0', 30)] }), route('any')]);
    expect(t.clusterFor(s)).toBe('three');
    const s5 = await acceptFrom('127.0.0.5');
    expect(t.clusterFor(s5)).toBe('any');
  });

  it('matches destination CIDRs and ports', async () => {
    const s = await acceptFrom('127.0.0.3');
    const t = table([
      route('wrong-port', { destinationAddrs: [v4('127.0.0.2', 32)], destinationPorts: [{ min: port + 1, max: port + 1 }] }),
      route('right', { destinationAddrs: [v4('127.0.0.2', 32)], destinationPorts: [{ min: port - 1, max: port }] }),
    ]);
    expect(t.clusterFor(s)).toBe('right');
  });

  it('matches source port ranges', async () => {
    const s = await acceptFrom('127.0.0.3');
    const p = s.remotePort!;
    expect(table([route('no', { sourcePorts: [{ min: p + 1, max: 65535 }] }), route('yes', { sourcePorts: [{ min: p, max: p }] })]).clusterFor(s)).toBe('yes');
  });

  it('no matching route: undefined (the connection is closed)', async () => {
    const s = await acceptFrom('127.0.0.3');
    expect(table([route('x', { sourceAddrs: [v4('10.0.0.0', 8)] })]).clusterFor(s)).toBeUndefined();
  });
});
