// servers[0].listeners[] (reference/mosn.md §1.3). Only what mosn-ts can honour is accepted;
// keys MOSN itself ignores are accepted with a warning; the rest is refused with its path.
import type { ConfigNode } from '../api/config-node.ts';
import type { NetworkFilterFactory } from '../api/filter.ts';
import { readAddress } from './address.ts';
import type { AccessLogConfig, ListenerConfig, NetworkFilterConfig } from './types.ts';

/** MOSN network filters that exist but that mosn-ts does not implement. */
const KNOWN_UNSUPPORTED_FILTERS = new Set(['udp_proxy', 'fault_inject', 'grpc', 'tunnel']);

/** MOSN's default access log format (reference/mosn.md §8.4). */
export const DEFAULT_ACCESS_LOG_FORMAT =
  '%start_time% %request_received_duration% %response_received_duration% %bytes_sent% %bytes_received% %protocol% %response_code% %duration% %response_flag% %response_code% %upstream_local_address% %downstream_local_address% %downstream_remote_address% %upstream_host%';

function parseTlsContext(node: ConfigNode | undefined): void {
  if (!node) return;
  // `"tls_context": {}` (MOSN's examples) and `status: false` mean plain TCP.
  const enabled = node.boolean('status', false);
  if (enabled) node.fail('status', 'not supported: TLS listeners are not implemented yet');
  for (const key of ['type', 'server_name', 'ca_cert', 'cert_chain', 'private_key', 'verify_client', 'require_client_cert',
    'insecure_skip', 'cipher_suites', 'ecdh_curves', 'min_version', 'max_version', 'alpn', 'ticket', 'fall_back',
    'extend_verify', 'callbacks', 'sds_source']) {
    node.ignore(key, 'TLS is disabled (status is false)');
  }
  node.finish();
}

function parseNetworkFilters(chain: ConfigNode, factories: ReadonlyMap<string, NetworkFilterFactory>): NetworkFilterConfig[] {
  const filters = chain.objects('filters');
  if (filters.length === 0) chain.fail('filters', 'at least one network filter is required');
  const out = filters.map((f: ConfigNode) => {
    const type = f.requiredString('type');
    const factory = factories.get(type);
    if (!factory) {
      if (KNOWN_UNSUPPORTED_FILTERS.has(type)) f.fail('type', `filter "${type}" is not supported by mosn-ts`);
      f.fail('type', `unknown filter "${type}" (known: ${[...factories.keys()].join(', ')})`);
    }
    const config = factory.parseConfig(f.objectOrEmpty('config'));
    f.finish();
    return { type, path: f.path, config };
  });
  // Only the last filter may own the connection; earlier ones must be able to hand over.
  for (let i = 0; i < out.length - 1; i++) {
    if (out[i]!.type !== 'proxy') {
      chain.fail('filters', `filter "${out[i]!.type}" at index ${i} owns the connection, so nothing may follow it`);
    }
  }
  return out;
}

function parseAccessLogs(node: ConfigNode): AccessLogConfig[] {
  return node.objects('access_logs').map((a) => {
    const path = a.string('log_path', 'stdout');
    const format = a.string('log_format', DEFAULT_ACCESS_LOG_FORMAT);
    a.finish();
    return { path, format };
  });
}

export function parseListener(node: ConfigNode, factories: ReadonlyMap<string, NetworkFilterFactory>): ListenerConfig {
  const type = node.optionalOneOf('type', ['ingress', 'egress'] as const);
  const { host, port } = readAddress(node, 'address');
  // MOSN names an unnamed listener after its address
  const name = node.string('name') || node.requiredString('address');
  node.oneOf('network', ['tcp'] as const, 'tcp');
  if (!node.boolean('bind_port', true)) {
    node.fail('bind_port', 'not supported: virtual listeners (bind_port false) need original_dst, which mosn-ts lacks');
  }
  node.ignore('reuseport', 'mosn-ts chooses with accept_mode (handoff or reuseport) for every listener');
  node.ignore('log_path', 'MOSN ignores this listener key too');
  node.ignore('log_level', 'MOSN ignores this listener key too');
  node.ignore('default_read_buffer_size', 'Node sizes socket reads itself');
  node.ignore('inspector', 'no TLS listener here, so there is nothing to inspect');
  const originalDst = node.raw('use_original_dst');
  if (originalDst !== undefined && originalDst !== false && originalDst !== '') {
    node.fail('use_original_dst', 'not supported: transparent proxying is not implemented');
  }
  if (node.objects('listener_filters').length > 0) node.fail('listener_filters', 'not supported: no listener filters are implemented');
  const streamFilters = node.objects('stream_filters');
  for (const sf of streamFilters) {
    const sfType = sf.requiredString('type');
    // MOSN skips the old SOFARPC `healthcheck` stream filter silently: heartbeats are answered in the stream layer.
    if (sfType === 'healthcheck') {
      sf.ignore('config', 'heartbeats are answered by the stream layer');
      sf.finish();
      continue;
    }
    sf.fail('type', `stream filter "${sfType}" is not supported by mosn-ts yet`);
  }

  const chains = node.objects('filter_chains');
  if (chains.length === 0) node.fail('filter_chains', 'at least one filter chain is required');
  if (chains.length > 1) node.fail('filter_chains', 'MOSN uses only the first filter chain; remove the others');
  const chain = chains[0]!;
  if (chain.has('match')) chain.fail('match', 'not supported: filter chain matching');
  parseTlsContext(chain.object('tls_context'));
  if (chain.objects('tls_context_set').length > 0) chain.fail('tls_context_set', 'not supported: TLS listeners are not implemented yet');
  const networkFilters = parseNetworkFilters(chain, factories);
  chain.finish();

  const accessLogs = parseAccessLogs(node);
  const connectionIdleTimeoutMs = node.duration('connection_idle_timeout', 0);
  node.finish();
  return { name, path: node.path, host, port, type, networkFilters, accessLogs, connectionIdleTimeoutMs };
}
