// What a matched rule does: the `route` object (cluster or weighted clusters plus timeouts,
// retries, hashing, rewrites, headers), `redirect` and `direct_response` (MOSN
// pkg/config/v2/route.go RouteAction, RedirectAction, DirectResponseAction).
import type { ConfigNode } from '../api/config-node.ts';
import type {
  DirectResponseConfig,
  HashPolicyConfig,
  RedirectConfig,
  RegexSource,
  RetryPolicyConfig,
  RouteActionConfig,
  RouteRuleConfig,
  WeightedClusterConfig,
} from '../api/router.ts';
import { ConfigError } from '../common/errors.ts';
import { regexSourceAt } from './go-regexp.ts';
import { parseRequestHeaderMutation, parseResponseHeaderMutation } from './route-headers.ts';

const UINT32_MAX = 0xffff_ffff;
const REDIRECT_CODES = [301, 302, 303, 307, 308];
const SCHEME = /^[a-z][a-z0-9.+-]*$/; // RFC 3986 §3.1, as MOSN checks it

/** The `route` object's settings other than where to send the request. */
export type RouteOptions = Pick<
  RouteRuleConfig,
  | 'timeoutMs'
  | 'retryPolicy'
  | 'hashPolicy'
  | 'upstreamProtocol'
  | 'prefixRewrite'
  | 'regexRewrite'
  | 'hostRewrite'
  | 'autoHostRewrite'
  | 'autoHostRewriteHeader'
  | 'requestHeaders'
  | 'responseHeaders'
>;

export function defaultRouteOptions(): RouteOptions {
  return {
    timeoutMs: undefined,
    retryPolicy: undefined,
    hashPolicy: { kind: 'source-ip' },
    upstreamProtocol: undefined,
    prefixRewrite: undefined,
    regexRewrite: undefined,
    hostRewrite: undefined,
    autoHostRewrite: false,
    autoHostRewriteHeader: undefined,
    requestHeaders: { add: [], remove: [] },
    responseHeaders: { add: [], remove: [] },
  };
}

/** `metadata_match` / `metadata`: `{ "filter_metadata": { "mosn.lb": { "k": "v" } } }`. */
export function parseLbMetadata(node: ConfigNode, key: string): Record<string, string> | undefined {
  const md = node.object(key);
  if (md === undefined) return undefined;
  const fm = md.object('filter_metadata');
  const values = fm?.stringMap('mosn.lb');
  fm?.finish();
  md.finish();
  return values !== undefined && Object.keys(values).length > 0 ? values : undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function parseWeightedCluster(item: ConfigNode): WeightedClusterConfig {
  const c = item.requiredObject('cluster');
  const name = c.reference('cluster', 'name') ?? c.fail('name', 'is required');
  const weight = c.integer('weight', { min: 0, max: UINT32_MAX, fallback: 0 });
  const metadataMatch = parseLbMetadata(c, 'metadata_match');
  c.finish();
  item.finish();
  return { name, weight, metadataMatch };
}

function parseWeightedClusters(route: ConfigNode, items: ConfigNode[]): RouteActionConfig {
  const clusters = items.map(parseWeightedCluster);
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    if (seen.has(c.name)) throw new ConfigError(`${route.pathOf('weighted_clusters')}[${i}].cluster.name`, `duplicate cluster "${c.name}"`);
    seen.add(c.name);
  });
  if (clusters.reduce((sum, c) => sum + c.weight, 0) === 0) route.fail('weighted_clusters', 'the weights add up to 0');
  route.ignore('cluster_name', 'weighted_clusters takes precedence (as in MOSN)');
  route.ignore('metadata_match', 'with weighted_clusters only each cluster\'s metadata_match applies (as in MOSN)');
  return { kind: 'weighted-clusters', clusters };
}

function parseRetryPolicy(node: ConfigNode): RetryPolicyConfig {
  const retryOn = node.boolean('retry_on', false);
  const retryTimeoutMs = node.duration('retry_timeout', 0);
  if (retryTimeoutMs < 0) node.fail('retry_timeout', 'must not be negative');
  const numRetries = node.integer('num_retries', { min: 0, max: UINT32_MAX, fallback: 0 });
  const raw = node.raw('status_codes');
  const statusCodes: number[] = [];
  if (raw !== undefined) {
    if (!Array.isArray(raw)) node.fail('status_codes', 'expected an array of status codes');
    raw.forEach((code: unknown, i) => {
      if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
        throw new ConfigError(`${node.pathOf('status_codes')}[${i}]`, `expected a status code 100..599, got ${JSON.stringify(code)}`);
      }
      statusCodes.push(code);
    });
  }
  node.finish();
  return { retryOn, retryTimeoutMs, numRetries, statusCodes };
}

function parseHashPolicy(route: ConfigNode): HashPolicyConfig {
  const items = route.objects('hash_policy');
  if (items.length === 0) return { kind: 'source-ip' };
  if (items.length > 1) route.fail('hash_policy', 'only one hash policy is supported (MOSN uses the first)');
  const item = items[0]!;
  const kinds = ['header', 'cookie', 'source_ip'].filter((k) => item.has(k));
  if (kinds.length !== 1) item.fail(undefined, 'set exactly one of header, cookie, source_ip');
  let policy: HashPolicyConfig;
  if (kinds[0] === 'header') {
    const h = item.requiredObject('header');
    policy = { kind: 'header', key: h.requiredString('key').toLowerCase() };
    h.finish();
  } else if (kinds[0] === 'cookie') {
    const c = item.requiredObject('cookie');
    policy = { kind: 'cookie', name: c.requiredString('name') };
    c.ignore('path', 'MOSN does not generate hash cookies');
    c.ignore('ttl', 'MOSN does not generate hash cookies');
    c.finish();
  } else {
    item.requiredObject('source_ip').finish();
    policy = { kind: 'source-ip' };
  }
  item.finish();
  return policy;
}

function parseRegexRewrite(route: ConfigNode): { pattern: RegexSource; substitution: string } | undefined {
  const rr = route.object('regex_rewrite');
  if (rr === undefined) return undefined;
  const pattern = rr.object('pattern');
  const regex = pattern?.string('regex', '') ?? '';
  pattern?.ignore('google_re2', 'MOSN does not implement it');
  const source = regex === '' ? undefined : regexSourceAt(pattern!, 'regex', regex);
  pattern?.finish();
  const substitution = rr.string('substitution', '');
  rr.finish();
  return source === undefined ? undefined : { pattern: source, substitution };
}

/** The `route` object: where to send the request and how. */
export function parseRouteObject(route: ConfigNode): { action: RouteActionConfig; options: RouteOptions } {
  route.refuse('cluster_variable', 'choosing the cluster from a variable');
  route.ignore('cluster_header', 'MOSN does not use it');
  const weighted = route.objects('weighted_clusters');
  let action: RouteActionConfig;
  if (weighted.length > 0) {
    action = parseWeightedClusters(route, weighted);
  } else {
    const name = route.reference('cluster', 'cluster_name');
    if (name === undefined) route.fail('cluster_name', 'is required (or weighted_clusters, or a redirect/direct_response rule)');
    action = { kind: 'cluster', cluster: { name, metadataMatch: parseLbMetadata(route, 'metadata_match') } };
  }
  const timeoutMs = route.duration('timeout', 0);
  if (timeoutMs < 0) route.fail('timeout', 'must not be negative');
  const retry = route.object('retry_policy');
  const prefixRewrite = nonEmpty(route.string('prefix_rewrite'));
  if (prefixRewrite !== undefined) route.ignore('regex_rewrite', 'prefix_rewrite takes precedence (as in MOSN)');
  const options: RouteOptions = {
    timeoutMs: timeoutMs === 0 ? undefined : timeoutMs,
    retryPolicy: retry === undefined ? undefined : parseRetryPolicy(retry),
    hashPolicy: parseHashPolicy(route),
    upstreamProtocol: nonEmpty(route.string('upstream_protocol')),
    prefixRewrite,
    regexRewrite: prefixRewrite === undefined ? parseRegexRewrite(route) : undefined,
    hostRewrite: nonEmpty(route.string('host_rewrite')),
    autoHostRewrite: route.boolean('auto_host_rewrite', false),
    autoHostRewriteHeader: nonEmpty(route.string('auto_host_rewrite_header'))?.toLowerCase(),
    requestHeaders: parseRequestHeaderMutation(route),
    responseHeaders: parseResponseHeaderMutation(route),
  };
  route.finish();
  return { action, options };
}

export function parseRedirect(node: ConfigNode): RedirectConfig {
  const code = node.integer('response_code', {}) ?? 0;
  if (code !== 0 && !REDIRECT_CODES.includes(code)) {
    node.fail('response_code', `redirect code ${code} is not supported (use ${REDIRECT_CODES.join(', ')})`);
  }
  const scheme = nonEmpty(node.string('scheme_redirect'))?.toLowerCase();
  if (scheme !== undefined && !SCHEME.test(scheme)) node.fail('scheme_redirect', `invalid scheme ${JSON.stringify(scheme)}`);
  const redirect: RedirectConfig = {
    responseCode: code === 0 ? 301 : code,
    path: nonEmpty(node.string('path_redirect')),
    host: nonEmpty(node.string('host_redirect')),
    scheme,
  };
  node.finish();
  return redirect;
}

export function parseDirectResponse(node: ConfigNode): DirectResponseConfig {
  if (!node.has('status')) node.fail('status', 'is required');
  const status = node.integer('status', { min: 100, max: 599, fallback: 200 });
  const body = nonEmpty(node.string('body'));
  node.finish();
  return { status, body };
}
