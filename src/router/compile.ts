// RouterConfig (snapshot) -> Router: built once per config in each worker. match() does a
// virtual host lookup (cached by authority) and a loop over prebuilt rule matchers (a run of
// exact single-header rules is one Map lookup); it creates no closures, compiles no regex and
// allocates nothing on a cache hit.
import type { RouteRuleConfig, Route, RouteRequest, Router, RouterConfig, VirtualHostConfig } from '../api/router.ts';
import { groupRules, type RouteStep } from './exact-header-group.ts';
import { headerOps } from './header-mutation.ts';
import { compilePathRewrite } from './path-rewrite.ts';
import { RuleMatcher } from './route-matcher.ts';
import { VirtualHostIndex } from './virtual-host-index.ts';
import { WeightedClusterTable } from './weighted-clusters.ts';

interface CompiledVirtualHost {
  readonly name: string;
  readonly steps: readonly RouteStep[];
}

function buildRoute(id: number, rule: RouteRuleConfig, vh: VirtualHostConfig, router: RouterConfig): Route {
  const a = rule.action;
  return {
    id,
    path: rule.path,
    virtualHostName: vh.name,
    kind: a.kind,
    cluster: a.kind === 'cluster' ? a.cluster : undefined,
    weightedClusters: a.kind === 'weighted-clusters' ? new WeightedClusterTable(a.clusters) : undefined,
    redirect: a.kind === 'redirect' ? a.redirect : undefined,
    directResponse: a.kind === 'direct-response' ? a.response : undefined,
    timeoutMs: rule.timeoutMs,
    retryPolicy: rule.retryPolicy,
    hashPolicy: rule.hashPolicy,
    upstreamProtocol: rule.upstreamProtocol,
    pathRewrite: compilePathRewrite(rule),
    hostRewrite: rule.hostRewrite,
    autoHostRewrite: rule.autoHostRewrite,
    autoHostRewriteHeader: rule.autoHostRewriteHeader,
    requestHeaderOps: headerOps([rule.requestHeaders, vh.requestHeaders, router.requestHeaders]),
    responseHeaderOps: headerOps([rule.responseHeaders, vh.responseHeaders, router.responseHeaders]),
    perFilterConfig: rule.perFilterConfig,
    mirrorPolicy: rule.mirrorPolicy,
  };
}

class CompiledRouter implements Router {
  readonly name: string;
  readonly routes: readonly Route[];
  readonly #hosts: VirtualHostIndex<CompiledVirtualHost>;

  constructor(name: string, routes: Route[], hosts: VirtualHostIndex<CompiledVirtualHost>) {
    this.name = name;
    this.routes = routes;
    this.#hosts = hosts;
  }

  match(req: RouteRequest): Route | undefined {
    const vh = this.#hosts.find(req.host);
    if (vh === undefined) return undefined;
    const steps = vh.steps;
    for (let i = 0; i < steps.length; i++) {
      const route = steps[i]!.match(req);
      if (route !== undefined) return route;
    }
    return undefined;
  }
}

export function compileRouter(config: RouterConfig): Router {
  const routes: Route[] = [];
  const entries: { domain: VirtualHostConfig['domains'][number]; value: CompiledVirtualHost }[] = [];
  for (const vh of config.virtualHosts) {
    const rules = vh.routes.map((rule) => {
      const route = buildRoute(routes.length, rule, vh, config);
      routes.push(route);
      return new RuleMatcher(rule, route);
    });
    const compiled: CompiledVirtualHost = { name: vh.name, steps: groupRules(rules) };
    for (const domain of vh.domains) entries.push({ domain, value: compiled });
  }
  return new CompiledRouter(config.name, routes, new VirtualHostIndex(entries));
}
