// Test helpers: parse a router config from plain JSON, compile it, and build requests.
import type { RouteRequest, Router, RouterConfig } from '../../../src/api/router.ts';
import { parseRouterConfig } from '../../../src/config/route.ts';
import { JsonConfigNode, ReaderContext } from '../../../src/config/reader.ts';
import { compileRouter } from '../../../src/router/compile.ts';

export const ROUTER_PATH = 'servers[0].routers[0]';

export function parseRouter(json: unknown, ctx = new ReaderContext()): RouterConfig {
  return parseRouterConfig(new JsonConfigNode(json, ROUTER_PATH, ctx));
}

export function buildRouter(json: unknown): Router {
  // through structuredClone: what a worker receives
  return compileRouter(structuredClone(parseRouter(json)));
}

/** A router config with one virtual host ("*") holding these rules. */
export function oneHost(routers: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { router_config_name: 'r', virtual_hosts: [{ name: 'vh', domains: ['*'], routers, ...extra }] };
}

export function request(opts: { host?: string; method?: string; path?: string; headers?: Record<string, string> }): RouteRequest {
  const headers = new Map(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    host: opts.host ?? '',
    method: opts.method ?? 'GET',
    path: opts.path ?? '',
    header: (name) => headers.get(name),
  };
}

/** The cluster name of the route matched for this request, or undefined. */
export function clusterOf(router: Router, opts: Parameters<typeof request>[0]): string | undefined {
  const route = router.match(request(opts));
  return route?.cluster?.name ?? (route ? `<${route.kind}>` : undefined);
}
