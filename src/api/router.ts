// Routing: the router config snapshot (plain, structured-clone-able data built by
// src/config/route.ts) and the compiled router the proxy asks per request (src/router/).
// Regexes travel as source strings: `re2` as configured (Go syntax), `js` translated for RegExp
// with flags "u" (src/config/go-regexp.ts).

// ---- snapshot (config) ----

export interface RegexSource {
  readonly re2: string;
  readonly js: string;
}

/** `servers[0].routers[]` entry (or the deprecated `connection_manager` filter's config). */
export interface RouterConfig {
  name: string;
  path: string;
  virtualHosts: VirtualHostConfig[];
  requestHeaders: HeaderMutationConfig;
  responseHeaders: HeaderMutationConfig;
}

export interface VirtualHostConfig {
  name: string;
  path: string;
  domains: DomainConfig[];
  routes: RouteRuleConfig[];
  requestHeaders: HeaderMutationConfig;
  responseHeaders: HeaderMutationConfig;
}

/** One domain, lower-cased and split. `port` is "" (none given), "*" (any) or digits. */
export interface DomainConfig {
  text: string;
  /** default = "*" / "*:*"; suffix = "*.foo.com" (host ".foo.com"); prefix = "foo.*" (host "foo.") */
  kind: 'exact' | 'suffix' | 'prefix' | 'default';
  host: string;
  port: string;
}

/** Path matcher; `rpc` = no path condition (MOSN's RPC rule: headers only). */
export type PathMatchConfig =
  | { kind: 'prefix'; value: string }
  | { kind: 'path'; value: string }
  | { kind: 'regex'; regex: RegexSource }
  | { kind: 'rpc' };

export interface HeaderMatcherConfig {
  /** lower-case */
  name: string;
  /** exact value, regex, or (no `value` key) presence */
  kind: 'exact' | 'regex' | 'present';
  value: string;
  regex: RegexSource | undefined;
}

export interface HeaderToAdd {
  /** as configured, for writing */
  name: string;
  lowerName: string;
  /** the configured value; sent as-is unless `variable` is set */
  text: string;
  /** set when the whole value is `%name%` (MOSN): the variable's value is sent instead */
  variable: string | undefined;
  /** true (default): join to an existing non-empty value with ","; false: replace */
  append: boolean;
}

export interface HeaderMutationConfig {
  add: HeaderToAdd[];
  /** lower-case names */
  remove: string[];
}

export interface ClusterChoice {
  readonly name: string;
  /** `metadata_match.filter_metadata["mosn.lb"]`: subset LB criteria */
  readonly metadataMatch: Readonly<Record<string, string>> | undefined;
}

export interface WeightedClusterConfig extends ClusterChoice {
  readonly weight: number;
}

export interface RedirectConfig {
  /** 301 (default), 302, 303, 307 or 308 */
  responseCode: number;
  path: string | undefined;
  host: string | undefined;
  /** lower-case */
  scheme: string | undefined;
}

export interface DirectResponseConfig {
  status: number;
  body: string | undefined;
}

export type RouteActionConfig =
  | { kind: 'cluster'; cluster: ClusterChoice }
  | { kind: 'weighted-clusters'; clusters: WeightedClusterConfig[] }
  | { kind: 'redirect'; redirect: RedirectConfig }
  | { kind: 'direct-response'; response: DirectResponseConfig };

export interface RetryPolicyConfig {
  retryOn: boolean;
  /** per-try timeout in ms; 0 = none */
  retryTimeoutMs: number;
  numRetries: number;
  statusCodes: number[];
}

/** hash_policy[0]; MOSN's default is source_ip */
export type HashPolicyConfig =
  | { kind: 'header'; key: string }
  | { kind: 'cookie'; name: string }
  | { kind: 'source-ip' };

export interface MirrorPolicyConfig {
  cluster: string;
  /** 0..100 */
  percent: number;
}

export interface RouteRuleConfig {
  path: string;
  match: { path: PathMatchConfig; headers: HeaderMatcherConfig[] };
  action: RouteActionConfig;
  /** whole-request timeout in ms; undefined = the proxy's default (MOSN: 60 s) */
  timeoutMs: number | undefined;
  retryPolicy: RetryPolicyConfig | undefined;
  hashPolicy: HashPolicyConfig;
  upstreamProtocol: string | undefined;
  prefixRewrite: string | undefined;
  regexRewrite: { pattern: RegexSource; substitution: string } | undefined;
  hostRewrite: string | undefined;
  autoHostRewrite: boolean;
  autoHostRewriteHeader: string | undefined;
  requestHeaders: HeaderMutationConfig;
  responseHeaders: HeaderMutationConfig;
  /** raw per-route filter configs by filter type (read by fault_inject, payload_limit …) */
  perFilterConfig: Record<string, unknown> | undefined;
  mirrorPolicy: MirrorPolicyConfig | undefined;
}

// ---- compiled router (per worker) ----

/** What routing looks at. Build one object per request kind and reuse it where possible. */
export interface RouteRequest {
  /** authority as received, any case, may include ":port"; "" for RPC */
  readonly host: string;
  readonly method: string;
  /** path without the query; "" for RPC (HTTP path rules never match then) */
  readonly path: string;
  /** a header by lower-case name (RPC: the frame's header) */
  header(name: string): string | undefined;
}

/** Resolves `%name%` header values: undefined = unknown variable (the text is sent as-is). */
export interface VariableSource {
  variable(name: string): string | undefined;
}

/** The header map a mutation is applied to; names given lower-case where they are looked up. */
export interface HeaderWriter {
  get(lowerName: string): string | undefined;
  /** replace every value of the header with this one */
  set(name: string, lowerName: string, value: string): void;
  remove(lowerName: string): void;
}

/** In application order (route, virtual host, router config; adds before removes at each level). */
export type HeaderOp = ({ readonly op: 'set' } & Readonly<HeaderToAdd>) | { readonly op: 'remove'; readonly lowerName: string };

export interface WeightedClusters {
  readonly entries: readonly WeightedClusterConfig[];
  readonly totalWeight: number;
  /** random in [0, 1) */
  pick(random: number): ClusterChoice;
}

export interface PathRewriter {
  /** the rewritten path, or undefined when this request's path is left alone */
  rewrite(path: string): string | undefined;
}

/** A matched rule: everything the proxy needs to act on it. Built once per config. */
export interface Route {
  /** index in Router.routes (stable for one compiled router: a route-cache value) */
  readonly id: number;
  /** JSON path of the rule */
  readonly path: string;
  readonly virtualHostName: string;
  readonly kind: RouteActionConfig['kind'];
  readonly cluster: ClusterChoice | undefined;
  readonly weightedClusters: WeightedClusters | undefined;
  readonly redirect: RedirectConfig | undefined;
  readonly directResponse: DirectResponseConfig | undefined;
  readonly timeoutMs: number | undefined;
  readonly retryPolicy: RetryPolicyConfig | undefined;
  readonly hashPolicy: HashPolicyConfig;
  readonly upstreamProtocol: string | undefined;
  readonly pathRewrite: PathRewriter | undefined;
  readonly hostRewrite: string | undefined;
  readonly autoHostRewrite: boolean;
  readonly autoHostRewriteHeader: string | undefined;
  readonly requestHeaderOps: readonly HeaderOp[];
  readonly responseHeaderOps: readonly HeaderOp[];
  readonly perFilterConfig: Readonly<Record<string, unknown>> | undefined;
  readonly mirrorPolicy: MirrorPolicyConfig | undefined;
}

export interface Router {
  readonly name: string;
  readonly routes: readonly Route[];
  /** virtual host, then its rules in order; first match wins */
  match(req: RouteRequest): Route | undefined;
}
