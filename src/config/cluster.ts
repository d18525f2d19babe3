// cluster_manager.clusters[] (reference/mosn.md §1.7, §5).
import type { ConfigNode } from '../api/config-node.ts';
import type { LbType } from '../api/upstream.ts';
import { splitHostPort } from './address.ts';
import type { CircuitBreakerConfig, ClusterConfig, HostConfig } from './types.ts';

const LB_TYPES: readonly LbType[] = [
  'LB_RANDOM',
  'LB_ROUNDROBIN',
  'LB_WEIGHTED_ROUNDROBIN',
  'LB_LEAST_REQUEST',
  'LB_LEAST_CONNECTION',
  'LB_MAGLEV',
];

/** MOSN's network.DefaultConnectTimeout (the docs say 3 s; the code says 10 s). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** MOSN keepalive defaults for XProtocol upstream heartbeats. */
const DEFAULT_KEEPALIVE = { intervalMs: 15_000, timeoutMs: 3_000 };

function parseHost(node: ConfigNode): HostConfig {
  const address = node.requiredString('address');
  const hp = splitHostPort(address);
  if (!hp) node.fail('address', `expected "ip:port" with a port in 1..65535, got ${JSON.stringify(address)}`);
  const hostname = node.string('hostname');
  // MOSN clamps weights to [1, 128].
  const rawWeight = node.integer('weight', { min: 0, fallback: 1 });
  const weight = Math.min(128, Math.max(1, rawWeight));
  let metadata: Record<string, string> = {};
  const md = node.object('metadata');
  if (md) {
    const fm = md.object('filter_metadata');
    metadata = fm?.stringMap('mosn.lb') ?? {};
    fm?.finish();
    md.finish();
  }
  node.ignore('tls_disable', 'upstream TLS is not implemented, so hosts are plain TCP anyway');
  node.finish();
  return { address, ip: hp.host, port: hp.port, hostname, weight, metadata };
}

function parseCircuitBreakers(node: ConfigNode): CircuitBreakerConfig {
  const list = node.objects('circuit_breakers');
  const none = { maxConnections: 0, maxPendingRequests: 0, maxRequests: 0, maxRetries: 0 };
  if (list.length === 0) return none;
  if (list.length > 1) node.fail('circuit_breakers', 'MOSN uses only circuit_breakers[0]; remove the others');
  const cb = list[0]!;
  const out = {
    maxConnections: cb.integer('max_connections', { min: 0, fallback: 0 }),
    maxPendingRequests: cb.integer('max_pending_requests', { min: 0, fallback: 0 }),
    maxRequests: cb.integer('max_requests', { min: 0, fallback: 0 }),
    maxRetries: cb.integer('max_retries', { min: 0, fallback: 0 }),
  };
  cb.ignore('priority', 'there is one priority level');
  cb.finish();
  return out;
}

export function parseCluster(node: ConfigNode): ClusterConfig {
  const name = node.requiredString('name');
  // EDS/STATIC/DYNAMIC become SIMPLE in MOSN too (their hosts would come from xDS or the API).
  const type = node.oneOf('type', ['SIMPLE', 'STATIC', 'EDS', 'DYNAMIC', 'STRICT_DNS', 'ORIGINAL_DST'] as const, 'SIMPLE');
  if (type === 'STRICT_DNS' || type === 'ORIGINAL_DST') node.fail('type', `cluster type ${type} is not supported yet`);
  node.ignore('sub_type', 'MOSN ignores it too');
  const lbType = node.oneOf('lb_type', LB_TYPES, 'LB_ROUNDROBIN');
  const lb = node.object('lbconfig');
  const choiceCount = lb?.integer('choice_count', { min: 1, max: 64, fallback: 2 }) ?? 2;
  const activeRequestBias = (lb?.raw('active_request_bias') as number | undefined) ?? 1;
  if (typeof activeRequestBias !== 'number' || activeRequestBias < 0) lb!.fail('active_request_bias', 'expected a number >= 0');
  lb?.refuse('client_error_bias', 'LB_PEAK_EWMA is not implemented');
  lb?.refuse('server_error_bias', 'LB_PEAK_EWMA is not implemented');
  lb?.finish();

  const maxRequestsPerConnection = node.integer('max_request_per_conn', { min: 0, fallback: 0 });
  node.ignore('conn_buffer_limit_bytes', 'MOSN does not implement it either; mosn-ts bounds buffers by backpressure');
  const circuitBreakers = parseCircuitBreakers(node);
  node.refuse('health_check', 'active health checks are not implemented yet');
  node.ignore('spec', 'MOSN ignores it too');
  node.refuse('lb_subset_config', 'subset load balancing is not implemented yet');
  node.refuse('original_dst_lb_config', 'ORIGINAL_DST clusters are not implemented');
  if (node.boolean('cluster_manager_tls', false)) node.fail('cluster_manager_tls', 'not supported: upstream TLS is not implemented yet');
  const tls = node.object('tls_context');
  if (tls?.boolean('status', false)) tls.fail('status', 'not supported: upstream TLS is not implemented yet');
  if (tls) {
    for (const key of ['type', 'server_name', 'ca_cert', 'cert_chain', 'private_key', 'verify_client', 'require_client_cert',
      'insecure_skip', 'cipher_suites', 'ecdh_curves', 'min_version', 'max_version', 'alpn', 'ticket', 'fall_back',
      'extend_verify', 'callbacks', 'sds_source']) tls.ignore(key, 'TLS is disabled (status is false)');
    tls.finish();
  }
  const hosts = node.objects('hosts').map(parseHost);
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    if (seen.has(h.address)) throw node.fail('hosts', `host ${h.address} is listed twice (index ${i})`);
    seen.add(h.address);
  });
  const connectTimeoutMs = node.duration('connect_timeout', DEFAULT_CONNECT_TIMEOUT_MS);
  if (connectTimeoutMs <= 0) node.fail('connect_timeout', 'must be greater than 0');
  const idleTimeoutMs = node.duration('idle_timeout', 0);
  const ka = node.object('keepalive');
  const keepalive = {
    intervalMs: ka?.duration('interval', DEFAULT_KEEPALIVE.intervalMs) ?? DEFAULT_KEEPALIVE.intervalMs,
    timeoutMs: ka?.duration('timeout', DEFAULT_KEEPALIVE.timeoutMs) ?? DEFAULT_KEEPALIVE.timeoutMs,
  };
  ka?.finish();
  for (const k of ['dns_refresh_rate', 'respect_dns_ttl', 'dns_lookup_family', 'dns_resolvers', 'dns_resolver_file', 'dns_resolver_port']) {
    node.ignore(k, 'DNS settings apply to STRICT_DNS clusters only');
  }
  node.refuse('slow_start', 'slow start is not implemented yet');
  node.refuse('mark', 'SO_MARK is not available to Node sockets');
  node.ignore('cluster_pool_enable', 'pools are already per cluster in mosn-ts');
  node.finish();
  return {
    name,
    path: node.path,
    type: 'SIMPLE',
    lbType,
    choiceCount,
    activeRequestBias,
    hosts,
    connectTimeoutMs,
    idleTimeoutMs,
    maxRequestsPerConnection,
    circuitBreakers,
    keepalive,
  };
}
