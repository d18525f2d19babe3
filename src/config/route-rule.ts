// One entry of a virtual host's `routers[]`: match conditions and the action (MOSN
// pkg/config/v2/route.go Router / RouterMatch / HeaderMatcher, pkg/router/virtualhost.go).
import type { ConfigNode } from '../api/config-node.ts';
import type {
  HeaderMatcherConfig,
  MirrorPolicyConfig,
  PathMatchConfig,
  RouteActionConfig,
  RouteRuleConfig,
} from '../api/router.ts';
import { isPlainObject } from './reader.ts';
import { regexSourceAt } from './go-regexp.ts';
import { defaultRouteOptions, parseDirectResponse, parseRedirect, parseRouteObject, type RouteOptions } from './route-action.ts';

/** Refuses a matcher we do not implement; an empty array is as good as absent (Go). */
function refuseMatcher(node: ConfigNode, key: string, why: string): void {
  const v = node.raw(key);
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return;
  node.fail(key, `not supported: ${why}`);
}

function parseHeaderMatcher(node: ConfigNode): HeaderMatcherConfig {
  const name = node.requiredString('name').toLowerCase();
  const regex = node.boolean('regex', false);
  const hasValue = node.has('value');
  const value = node.string('value', '');
  node.finish();
  // No `value` key: the header must be present (Envoy's present_match). MOSN would compare
  // with "" instead, which only matches an empty header; `"value": ""` keeps that meaning.
  if (!hasValue) return { name, kind: 'present', value: '', regex: undefined };
  if (!regex) return { name, kind: 'exact', value, regex: undefined };
  return { name, kind: 'regex', value, regex: regexSourceAt(node, 'value', value) };
}

function parseMatch(node: ConfigNode | undefined): RouteRuleConfig['match'] {
  if (node === undefined) return { path: { kind: 'rpc' }, headers: [] };
  // MOSN picks one path matcher: prefix > path > regex > variables > dsl > headers only (RPC).
  const prefix = node.string('prefix', '');
  const exact = node.string('path', '');
  const regex = node.string('regex', '');
  let path: PathMatchConfig;
  if (prefix !== '') {
    path = { kind: 'prefix', value: prefix };
    if (exact !== '') node.ignore('path', 'prefix takes precedence (as in MOSN)');
    if (regex !== '') node.ignore('regex', 'prefix takes precedence (as in MOSN)');
  } else if (exact !== '') {
    path = { kind: 'path', value: exact };
    if (regex !== '') node.ignore('regex', 'path takes precedence (as in MOSN)');
  } else if (regex !== '') {
    path = { kind: 'regex', regex: regexSourceAt(node, 'regex', regex) };
  } else {
    path = { kind: 'rpc' };
  }
  refuseMatcher(node, 'variables', 'variable route matchers (use headers)');
  refuseMatcher(node, 'dsl_expressions', 'DSL route matchers (use headers)');
  const headers = node.objects('headers').map(parseHeaderMatcher);
  node.finish();
  return { path, headers };
}

function parseMirrorPolicy(node: ConfigNode | undefined): MirrorPolicyConfig | undefined {
  if (node === undefined) return undefined;
  const cluster = node.reference('cluster', 'cluster') ?? node.fail('cluster', 'is required');
  const percent = node.integer('percent', { min: 0, max: 100, fallback: 0 });
  node.ignore('trace_sampled', 'MOSN does not implement it');
  node.finish();
  return { cluster, percent };
}

function parsePerFilterConfig(node: ConfigNode): Record<string, unknown> | undefined {
  const v = node.raw('per_filter_config');
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) node.fail('per_filter_config', 'expected an object keyed by filter type');
  return Object.keys(v).length > 0 ? structuredClone(v) : undefined;
}

export function parseRouteRule(node: ConfigNode): RouteRuleConfig {
  const match = parseMatch(node.object('match'));
  let action: RouteActionConfig;
  let options: RouteOptions = defaultRouteOptions();
  // MOSN's proxy checks direct_response, then redirect, then the route.
  if (node.has('direct_response')) {
    action = { kind: 'direct-response', response: parseDirectResponse(node.requiredObject('direct_response')) };
    node.ignore('redirect', 'direct_response takes precedence (as in MOSN)');
    node.ignore('route', 'direct_response takes precedence (as in MOSN)');
  } else if (node.has('redirect')) {
    action = { kind: 'redirect', redirect: parseRedirect(node.requiredObject('redirect')) };
    node.ignore('route', 'redirect takes precedence (as in MOSN)');
  } else {
    if (!node.has('route')) node.fail('route', 'is required (or redirect, or direct_response)');
    ({ action, options } = parseRouteObject(node.requiredObject('route')));
  }
  const perFilterConfig = parsePerFilterConfig(node);
  // MOSN acts on mirror policies only through its `mirror` stream filter, which mosn-ts refuses
  const mirrorPolicy = parseMirrorPolicy(node.object('request_mirror_policies'));
  if (mirrorPolicy !== undefined) node.ignore('request_mirror_policies', 'mirroring needs the `mirror` stream filter, which is not implemented yet; no request is mirrored');
  node.ignore('metadata', 'MOSN does not use route metadata');
  node.finish();
  return { path: node.path, match, action, ...options, perFilterConfig, mirrorPolicy };
}
