// `admin` and `metrics` (reference/mosn.md §1.1, §6.2, §8.3).
import type { ConfigNode } from '../api/config-node.ts';
import type { PrometheusSinkConfig } from './types.ts';

function parseAdmin(node: ConfigNode | undefined): { host: string; port: number } | undefined {
  if (!node) return undefined;
  const address = node.requiredObject('address');
  const sock = address.requiredObject('socket_address');
  const host = sock.string('address', '127.0.0.1') || '127.0.0.1';
  const port = sock.integer('port_value', { min: 1, max: 65535 }) ?? sock.fail('port_value', 'is required');
  sock.ignore('protocol', 'the admin API is TCP');
  sock.finish();
  address.finish();
  node.finish();
  return { host, port };
}

function parseMetrics(node: ConfigNode | undefined): PrometheusSinkConfig | undefined {
  if (!node) return undefined;
  let prometheus: PrometheusSinkConfig | undefined;
  for (const sink of node.objects('sinks')) {
    const type = sink.requiredString('type');
    if (type !== 'prometheus') sink.fail('type', `unsupported metrics sink ${JSON.stringify(type)} (supported: prometheus)`);
    if (prometheus) sink.fail(undefined, 'only one prometheus sink is supported');
    const cfg = sink.requiredObject('config');
    const port = cfg.integer('port', { min: 1, max: 65535 }) ?? cfg.fail('port', 'is required');
    // MOSN listens on 0.0.0.0; `address` is a mosn-ts addition to bind elsewhere.
    const host = cfg.string('address', '0.0.0.0') || '0.0.0.0';
    let path = cfg.string('endpoint', '/metrics') || '/metrics';
    if (!path.startsWith('/')) path = `/${path}`;
    cfg.refuse('export_url', 'push gateways are not supported (MOSN rejects it too)');
    cfg.ignore('percentiles', 'mosn-ts exports real histograms (_bucket/_sum/_count) instead of percentile gauges');
    cfg.ignore('disable_collect_go', 'there is no Go runtime');
    const collectProcess = !cfg.boolean('disable_collect_process', false);
    cfg.finish();
    sink.finish();
    prometheus = { host, port, path, collectProcess };
  }
  node.refuse('stats_matcher', 'metric filtering is not implemented yet');
  node.ignore('shm_zone', 'metrics always live in shared memory across worker threads');
  node.ignore('shm_size', 'metrics always live in shared memory across worker threads');
  node.ignore('flush_mosn', 'no console sink');
  node.ignore('lazy_flush', 'metrics are preallocated per listener, cluster and host');
  node.ignore('sample', 'histograms are bucketed, not sampled');
  node.ignore('ewma', 'no EWMA metrics');
  node.ignore('flush_interval', 'MOSN ignores it too');
  node.finish();
  return prometheus;
}

export function parseObservability(root: ConfigNode): {
  admin: { host: string; port: number } | undefined;
  prometheus: PrometheusSinkConfig | undefined;
} {
  return { admin: parseAdmin(root.object('admin')), prometheus: parseMetrics(root.object('metrics')) };
}
