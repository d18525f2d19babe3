// Builder for MOSN v2 documents with one HTTP/1 `proxy` listener: routes, clusters of
// 127.0.0.1 hosts, extend_config.Http1, access logs, admin and metrics ports.
import { observability } from './mosn-config.ts';

export interface HttpClusterSpec {
  name: string;
  /** upstream ports on 127.0.0.1, or { port, weight } */
  hosts: Array<number | { port: number; weight?: number }>;
  lbType?: string;
  /** any other cluster keys (circuit_breakers, idle_timeout, connect_timeout …) */
  extra?: Record<string, unknown>;
}

export interface HttpProxyConfigOptions {
  listenPort: number;
  /** `virtual_hosts` of the listener's router; default: every host, prefix "/" to the first cluster */
  virtualHosts?: unknown[];
  /** extra keys on the router config (request_headers_to_add …) */
  routerExtra?: Record<string, unknown>;
  clusters: HttpClusterSpec[];
  /** extend_config.Http1 */
  http1?: Record<string, unknown>;
  /** listener keys (access_logs, connection_idle_timeout …) */
  listenerExtra?: Record<string, unknown>;
  adminPort?: number;
  metricsPort?: number;
  logLevel?: string;
  /** listener name (metrics label); default "http_in" */
  listenerName?: string;
}

export const ROUTER_NAME = 'http_router';
export const LISTENER_NAME = 'http_in';

/** A route to `cluster` for every path. */
export function catchAll(cluster: string, route: Record<string, unknown> = {}): unknown[] {
  return [{ name: 'all', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: cluster, ...route } }] }];
}

export function httpProxyConfig(o: HttpProxyConfigOptions): Record<string, unknown> {
  const proxyConfig: Record<string, unknown> = { downstream_protocol: 'Http1', router_config_name: ROUTER_NAME };
  if (o.http1 !== undefined) proxyConfig['extend_config'] = { Http1: o.http1 };
  return {
    servers: [
      {
        default_log_path: 'stdout',
        default_log_level: o.logLevel ?? 'INFO',
        routers: [{ router_config_name: ROUTER_NAME, virtual_hosts: o.virtualHosts ?? catchAll(o.clusters[0]!.name), ...o.routerExtra }],
        listeners: [
          {
            name: o.listenerName ?? LISTENER_NAME,
            address: `127.0.0.1:${o.listenPort}`,
            bind_port: true,
            filter_chains: [{ filters: [{ type: 'proxy', config: proxyConfig }] }],
            ...o.listenerExtra,
          },
        ],
      },
    ],
    cluster_manager: {
      clusters: o.clusters.map((c) => ({
        name: c.name,
        type: 'SIMPLE',
        lb_type: c.lbType ?? 'LB_ROUNDROBIN',
        hosts: c.hosts.map((h) => (typeof h === 'number' ? { address: `127.0.0.1:${h}` } : { address: `127.0.0.1:${h.port}`, weight: h.weight ?? 1 })),
        ...c.extra,
      })),
    },
    ...observability(o.adminPort, o.metricsPort),
  };
}
