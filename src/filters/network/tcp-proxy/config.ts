// tcp_proxy config (MOSN's v2.StreamProxy, reference/mosn.md §1.5): stat_prefix, cluster,
// idle_timeout (Go time.Duration: integer nanoseconds; a duration string is accepted too),
// max_connect_attempts, routes[] with CamelCase keys (the Go struct has no json tags).
import { isIP } from 'node:net';
import type { ConfigNode } from '../../../api/config-node.ts';

export interface CidrRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export interface PortRange {
  min: number;
  max: number;
}

export interface TcpRoute {
  cluster: string;
  sourceAddrs: CidrRange[];
  destinationAddrs: CidrRange[];
  sourcePorts: PortRange[];
  destinationPorts: PortRange[];
}

export interface TcpProxyConfig {
  statPrefix: string;
  /** when set, routes are not consulted (as in MOSN) */
  cluster: string | undefined;
  idleTimeoutMs: number;
  maxConnectAttempts: number;
  routes: TcpRoute[];
}

/** MOSN's types.DefaultIdleTimeout */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 90_000;

function parseCidrs(node: ConfigNode, key: string): CidrRange[] {
  return node.objects(key).map((c: ConfigNode): CidrRange => {
    const address = c.requiredString('Address');
    const family = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
    if (!family) c.fail('Address', `expected an IP address, got ${JSON.stringify(address)}`);
    const prefix = c.integer('Length', { min: 0, max: family === 'ipv4' ? 32 : 128, fallback: family === 'ipv4' ? 32 : 128 });
    c.finish();
    return { address, prefix, family };
  });
}

function parsePorts(node: ConfigNode, key: string): PortRange[] {
  const text = node.string(key, '');
  if (text === '') return [];
  return text.split(',').map((item) => {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(item);
    const min = Number(m?.[1]);
    const max = m?.[2] !== undefined ? Number(m[2]) : min;
    if (!m || min > max || max > 65535) node.fail(key, `invalid port range ${JSON.stringify(item)} (use "80,8000-8080")`);
    return { min, max };
  });
}

function parseIdleTimeout(node: ConfigNode): number {
  const raw = node.raw('idle_timeout');
  if (raw === undefined || raw === 0) return DEFAULT_TCP_IDLE_TIMEOUT_MS;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0) node.fail('idle_timeout', 'expected nanoseconds (integer) or a duration string such as "90s"');
    return raw / 1e6;
  }
  const ms = node.duration('idle_timeout');
  if (ms === undefined || ms < 0) node.fail('idle_timeout', 'must be a positive duration');
  return ms || DEFAULT_TCP_IDLE_TIMEOUT_MS;
}

export function parseTcpProxyConfig(node: ConfigNode): TcpProxyConfig {
  const statPrefix = node.string('stat_prefix', '');
  const cluster = node.reference('cluster', 'cluster');
  const idleTimeoutMs = parseIdleTimeout(node);
  const maxConnectAttempts = node.integer('max_connect_attempts', { min: 0, max: 100, fallback: 1 }) || 1;
  const routes = node.objects('routes').map((r) => {
    const route: TcpRoute = {
      cluster: r.reference('cluster', 'Cluster') ?? r.fail('Cluster', 'is required'),
      sourceAddrs: parseCidrs(r, 'SourceAddrs'),
      destinationAddrs: parseCidrs(r, 'DestinationAddrs'),
      sourcePorts: parsePorts(r, 'SourcePort'),
      destinationPorts: parsePorts(r, 'DestinationPort'),
    };
    r.finish();
    return route;
  });
  if (!cluster && routes.length === 0) node.fail(undefined, 'needs `cluster` or at least one route');
  node.finish();
  return { statPrefix, cluster, idleTimeoutMs, maxConnectAttempts, routes };
}
