// Builders for MOSN v2 documents with Bolt/Dubbo `proxy` listeners, routed on RPC headers.
import { observability } from './mosn-config.ts';

export interface RpcRouteSpec {
  /** header matchers ANDed; `{ name: 'service', value: '.*' }` is MOSN's any-service match */
  headers: Array<{ name: string; value: string; regex?: boolean }>;
  /** an HTTP path prefix (for Auto listeners that also serve HTTP/1) */
  prefix?: string;
  cluster: string;
  /** route timeout as a Go duration ("200ms") */
  timeout?: string;
}

export interface RpcListenerSpec {
  name: string;
  port: number;
  /** downstream_protocol: "bolt", "dubbo", "Auto", "bolt,dubbo" … */
  protocol: string;
  routes: RpcRouteSpec[];
  extendConfig?: Record<string, unknown>;
  fallbackForUnknownProtocol?: boolean;
  /** a tcp_proxy after the proxy filter (for fallback_for_unknown_protocol) */
  tcpProxyCluster?: string;
  connectionIdleTimeout?: string;
}

export interface RpcClusterSpec {
  name: string;
  ports: number[];
  maxRequests?: number;
  maxConnections?: number;
  keepalive?: { interval: string; timeout: string };
}

export interface RpcConfigOptions {
  listeners: RpcListenerSpec[];
  clusters: RpcClusterSpec[];
  adminPort?: number;
  metricsPort?: number;
  logLevel?: string;
}

export function rpcConfig(o: RpcConfigOptions): Record<string, unknown> {
  return {
    servers: [
      {
        default_log_path: 'stdout',
        default_log_level: o.logLevel ?? 'INFO',
        routers: o.listeners.map((l) => ({
          router_config_name: `${l.name}_router`,
          virtual_hosts: [
            {
              name: `${l.name}_vhost`,
              domains: ['*'],
              routers: l.routes.map((r) => ({
                match: {
                  ...(r.prefix ? { prefix: r.prefix } : {}),
                  headers: r.headers.map((h) => ({ name: h.name, value: h.value, ...(h.regex ? { regex: true } : {}) })),
                },
                route: { cluster_name: r.cluster, ...(r.timeout ? { timeout: r.timeout } : {}) },
              })),
            },
          ],
        })),
        listeners: o.listeners.map((l) => ({
          name: l.name,
          address: `127.0.0.1:${l.port}`,
          bind_port: true,
          ...(l.connectionIdleTimeout ? { connection_idle_timeout: l.connectionIdleTimeout } : {}),
          filter_chains: [
            {
              filters: [
                {
                  type: 'proxy',
                  config: {
                    downstream_protocol: l.protocol,
                    router_config_name: `${l.name}_router`,
                    ...(l.fallbackForUnknownProtocol ? { fallback_for_unknown_protocol: true } : {}),
                    ...(l.extendConfig ? { extend_config: l.extendConfig } : {}),
                  },
                },
                ...(l.tcpProxyCluster ? [{ type: 'tcp_proxy', config: { cluster: l.tcpProxyCluster } }] : []),
              ],
            },
          ],
        })),
      },
    ],
    cluster_manager: {
      clusters: o.clusters.map((c) => ({
        name: c.name,
        type: 'SIMPLE',
        lb_type: 'LB_ROUNDROBIN',
        hosts: c.ports.map((p) => ({ address: `127.0.0.1:${p}` })),
        ...(c.maxRequests !== undefined || c.maxConnections !== undefined
          ? {
              circuit_breakers: [
                {
                  ...(c.maxRequests !== undefined ? { max_requests: c.maxRequests } : {}),
                  ...(c.maxConnections !== undefined ? { max_connections: c.maxConnections } : {}),
                },
              ],
            }
          : {}),
        ...(c.keepalive ? { keepalive: c.keepalive } : {}),
      })),
    },
    ...observability(o.adminPort, o.metricsPort),
  };
}

/** One listener routing every `service` to one cluster (MOSN's `.*` fast match). */
export function anyServiceRoute(cluster: string, timeout?: string): RpcRouteSpec {
  return { headers: [{ name: 'service', value: '.*' }], cluster, ...(timeout ? { timeout } : {}) };
}
