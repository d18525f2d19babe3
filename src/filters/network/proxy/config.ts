// The `proxy` network filter's config (reference/mosn.md §1.4): downstream_protocol (one name,
// "Auto", or a comma list limiting detection; legacy "X" + extend_config.sub_protocol),
// upstream_protocol, router_config_name, fallback_for_unknown_protocol, extend_config keyed by
// protocol. extend_config.Http1 carries MOSN's max_header_size / max_request_body_size plus the
// mosn-ts settings listed in README ("HTTP/1.1 settings").
import type { ConfigNode } from '../../../api/config-node.ts';
import { DEFAULT_HTTP_PROXY_OPTIONS, type HttpProxyOptions } from '../../../proxy/http/options.ts';

export type DownstreamProtocol = 'Http1' | 'bolt' | 'boltv2' | 'dubbo';
const IMPLEMENTED: readonly DownstreamProtocol[] = ['Http1', 'bolt', 'boltv2', 'dubbo'];
const KNOWN_UNIMPLEMENTED = new Set(['http2', 'dubbo-thrift', 'tars']);

export interface ProxyFilterConfig {
  /** protocols accepted on this listener; more than one means detection from the first bytes */
  protocols: DownstreamProtocol[];
  routerConfigName: string;
  fallbackForUnknownProtocol: boolean;
  http: HttpProxyOptions;
  /** per RPC protocol (extend_config.<protocol>.max_frame_size): larger client frames are a codec error */
  maxRpcFrameBytes: RpcFrameLimits;
  boltGoAway: boolean;
}

/** Default RPC frame cap (the issue: 16 MiB; Dubbo's own default payload is 8 MiB). */
export const DEFAULT_MAX_RPC_FRAME = 16 * 1024 * 1024;

export type RpcProtocol = 'bolt' | 'boltv2' | 'dubbo';
export type RpcFrameLimits = Readonly<Record<RpcProtocol, number>>;

function protocolName(node: ConfigNode, key: string, text: string): DownstreamProtocol {
  const found = IMPLEMENTED.find((p) => p.toLowerCase() === text.trim().toLowerCase());
  if (found) return found;
  if (KNOWN_UNIMPLEMENTED.has(text.trim().toLowerCase())) node.fail(key, `protocol ${JSON.stringify(text.trim())} is not supported by mosn-ts yet`);
  return node.fail(key, `unknown protocol ${JSON.stringify(text.trim())} (supported: ${IMPLEMENTED.join(', ')}, Auto)`);
}

/** MOSN's un-keyed Http1 settings (extend_config.max_header_size, max_request_body_size). */
function legacyHttp1Limits(ext: ConfigNode, current: HttpProxyOptions['limits']): Partial<HttpProxyOptions['limits']> {
  return {
    maxHeaderBytes: ext.integer('max_header_size', { min: 1024, max: 1 << 20, fallback: current.maxHeaderBytes }),
    maxBodyBytes: ext.integer('max_request_body_size', { min: 0, fallback: current.maxBodyBytes }),
  };
}

/** idleTimeoutMs 0 here means "the listener's connection_idle_timeout, else the default". */
function parseHttp1(node: ConfigNode | undefined): HttpProxyOptions {
  const d = DEFAULT_HTTP_PROXY_OPTIONS;
  if (!node) return { ...d, idleTimeoutMs: 0 };
  const o: HttpProxyOptions = {
    limits: {
      maxHeaderBytes: node.integer('max_header_size', { min: 1024, max: 1 << 20, fallback: d.limits.maxHeaderBytes }),
      maxHeaders: node.integer('max_header_count', { min: 1, max: 10_000, fallback: d.limits.maxHeaders }),
      maxRequestLine: node.integer('max_request_line_size', { min: 256, max: 1 << 20, fallback: d.limits.maxRequestLine }),
      maxBodyBytes: node.integer('max_request_body_size', { min: 0, fallback: d.limits.maxBodyBytes }),
    },
    requestHeadersTimeoutMs: node.duration('request_headers_timeout', d.requestHeadersTimeoutMs),
    idleTimeoutMs: node.duration('idle_timeout', 0),
    maxRequestsPerConnection: node.integer('max_requests_per_connection', { min: 0, fallback: d.maxRequestsPerConnection }),
    maxBufferedBytes: node.integer('max_buffered_bytes', { min: 4096, fallback: d.maxBufferedBytes }),
    xForwardedFor: node.boolean('x_forwarded_for', d.xForwardedFor),
    xForwardedProto: node.boolean('x_forwarded_proto', d.xForwardedProto),
    generateRequestId: node.boolean('generate_request_id', d.generateRequestId),
    via: node.string('via', d.via),
    defaultRouteTimeoutMs: node.duration('default_route_timeout', d.defaultRouteTimeoutMs),
    retryBufferBytes: node.integer('retry_buffer_bytes', { min: 0, fallback: d.retryBufferBytes }),
  };
  if (o.requestHeadersTimeoutMs <= 0) node.fail('request_headers_timeout', 'must be greater than 0');
  node.finish();
  return o;
}

export function parseProxyConfig(node: ConfigNode): ProxyFilterConfig {
  const ext = node.object('extend_config');
  let downstream = node.requiredString('downstream_protocol');
  // MOSN's legacy form: downstream_protocol "X" (or Auto) + extend_config.sub_protocol
  const sub = ext?.string('sub_protocol');
  if (sub !== undefined && (downstream === 'X' || downstream.toLowerCase() === 'auto')) downstream = sub;
  const protocols =
    downstream.trim().toLowerCase() === 'auto' ? [...IMPLEMENTED] : [...new Set(downstream.split(',').map((p) => protocolName(node, 'downstream_protocol', p)))];
  // MOSN takes the upstream protocol from the route (route.upstream_protocol), else the
  // downstream's; this key is read by no code path there, so any value is accepted.
  const upstreamText = node.string('upstream_protocol');
  const upstreamProtocol = upstreamText === undefined || upstreamText === '' ? undefined : upstreamText;
  if (upstreamProtocol !== undefined && !['auto', 'x', ...protocols.map((p) => p.toLowerCase())].includes(upstreamProtocol.toLowerCase())) {
    node.ignore('upstream_protocol', 'the upstream protocol is the downstream one (MOSN reads it from the route, not from here)');
  }
  const routerConfigName = node.reference('router', 'router_config_name') ?? node.fail('router_config_name', 'is required');
  const handler = node.string('router_handler_name', 'default');
  if (handler !== 'default' && handler !== '') node.fail('router_handler_name', 'only the "default" route handler exists');
  const fallbackForUnknownProtocol = node.boolean('fallback_for_unknown_protocol', false);
  node.ignore('name', 'MOSN does not use it either');
  node.ignore('validate_clusters', 'MOSN does not use it either (clusters are always validated)');
  node.ignore('concurrency_num', 'each worker thread is its own event loop');
  let http = parseHttp1(undefined);
  const maxRpcFrameBytes = { bolt: DEFAULT_MAX_RPC_FRAME, boltv2: DEFAULT_MAX_RPC_FRAME, dubbo: DEFAULT_MAX_RPC_FRAME };
  let boltGoAway = false;
  if (ext) {
    http = parseHttp1(ext.object('Http1'));
    ext.ignore('Http2', 'HTTP/2 is not implemented yet, so its settings have no effect');
    // MOSN's deprecated un-keyed form: with one protocol, the keys are that protocol's settings
    // (with Auto or a list, MOSN takes them for protocol names and ignores them).
    const only = protocols.length === 1 ? protocols[0] : undefined;
    ext.ignore('http2_use_stream', 'HTTP/2 is not implemented yet');
    if (only === 'Http1') {
      http = { ...http, limits: { ...http.limits, ...legacyHttp1Limits(ext, http.limits) } };
    } else {
      ext.ignore('max_header_size', 'un-keyed extend_config applies only to a listener with a single protocol (MOSN)');
      ext.ignore('max_request_body_size', 'un-keyed extend_config applies only to a listener with a single protocol (MOSN)');
    }
    if (only === 'bolt' || only === 'boltv2') boltGoAway = ext.boolean('enable_bolt_goaway', false);
    else ext.ignore('enable_bolt_goaway', 'un-keyed extend_config applies only to a listener with a single protocol (MOSN)');
    for (const key of ['bolt', 'boltv2', 'dubbo'] as const) {
      const p = ext.object(key);
      if (!p) continue;
      if (key !== 'dubbo') boltGoAway = p.boolean('enable_bolt_goaway', false) || boltGoAway;
      maxRpcFrameBytes[key] = p.integer('max_frame_size', { min: 1024, max: 1 << 30, fallback: DEFAULT_MAX_RPC_FRAME });
      p.finish();
    }
    ext.finish();
  }
  node.finish();
  return { protocols, routerConfigName, fallbackForUnknownProtocol, http, maxRpcFrameBytes, boltGoAway };
}
