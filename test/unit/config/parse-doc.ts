// Parses whole MOSN documents in memory with the built-in extensions (real filters, real router
// parser), and builds the smallest valid document for tests to modify.
import { ConfigError } from '../../../src/common/errors.ts';
import { parseMosnConfig, type ParsedConfig } from '../../../src/config/mosn-config.ts';
import { configExtensions } from '../../../src/control/config-source.ts';

export function parseDoc(doc: unknown): ParsedConfig {
  return parseMosnConfig(doc, 'test.json', configExtensions);
}

/** The `path: reason` message of the ConfigError the document must raise. */
export function configErrorOf(doc: unknown): string {
  try {
    parseDoc(doc);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError, the document parsed');
}

export interface MinimalDoc {
  servers: Array<{ listeners: Array<Record<string, unknown>>; [k: string]: unknown }>;
  cluster_manager: { clusters: Array<Record<string, unknown>>; [k: string]: unknown };
  [k: string]: unknown;
}

export function tcpListener(name: string, port: number, cluster = 'c1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    address: `127.0.0.1:${port}`,
    bind_port: true,
    filter_chains: [{ filters: [{ type: 'tcp_proxy', config: { cluster } }] }],
    ...extra,
  };
}

export function cluster(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'SIMPLE', lb_type: 'LB_ROUNDROBIN', hosts: [{ address: '127.0.0.1:9000' }], ...extra };
}

/** One tcp_proxy listener on 127.0.0.1:2045 to cluster c1 with one host. */
export function minimalDoc(): MinimalDoc {
  return {
    servers: [{ default_log_path: 'stdout', listeners: [tcpListener('l1', 2045)] }],
    cluster_manager: { clusters: [cluster('c1')] },
  };
}

export const L0 = 'servers[0].listeners[0]';
export const F0 = `${L0}.filter_chains[0].filters[0]`;
export const C0 = 'cluster_manager.clusters[0]';
