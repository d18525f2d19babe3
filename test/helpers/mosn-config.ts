// Builders for the MOSN v2 documents the tests start the proxy with.

export interface TcpProxyConfigOptions {
  listenPort: number;
  upstreamPorts: number[];
  adminPort?: number;
  metricsPort?: number;
  lbType?: string;
  extraCluster?: Record<string, unknown>;
  tcpProxy?: Record<string, unknown>;
  logLevel?: string;
}

export function observability(adminPort?: number, metricsPort?: number): Record<string, unknown> {
  return {
    ...(adminPort ? { admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } } } : {}),
    ...(metricsPort ? { metrics: { sinks: [{ type: 'prometheus', config: { address: '127.0.0.1', port: metricsPort } }] } } : {}),
  };
}

export function tcpProxyConfig(o: TcpProxyConfigOptions): Record<string, unknown> {
  return {
    servers: [
      {
        default_log_path: 'stdout',
        default_log_level: o.logLevel ?? 'INFO',
        listeners: [
          {
            name: 'tcp_in',
            address: `127.0.0.1:${o.listenPort}`,
            bind_port: true,
            filter_chains: [{ filters: [{ type: 'tcp_proxy', config: { stat_prefix: 'tcp', cluster: 'upstream', ...o.tcpProxy } }] }],
          },
        ],
      },
    ],
    cluster_manager: {
      clusters: [
        {
          name: 'upstream',
          type: 'SIMPLE',
          lb_type: o.lbType ?? 'LB_ROUNDROBIN',
          hosts: o.upstreamPorts.map((p) => ({ address: `127.0.0.1:${p}` })),
          ...o.extraCluster,
        },
      ],
    },
    ...observability(o.adminPort, o.metricsPort),
  };
}
