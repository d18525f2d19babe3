// A router configuration: one entry of `servers[0].routers[]`, or the inline config of the
// deprecated `connection_manager` network filter (same shape). MOSN pkg/config/v2/route.go,
// checks from pkg/router/routers_impl.go. Rules are in route-rule.ts, actions in route-action.ts.
import type { ConfigNode } from '../api/config-node.ts';
import type { DomainConfig, RouterConfig, VirtualHostConfig } from '../api/router.ts';
import { ConfigError } from '../common/errors.ts';
import { classifyDomain, domainKey } from './route-domain.ts';
import { parseRequestHeaderMutation, parseResponseHeaderMutation } from './route-headers.ts';
import { parseRouteRule } from './route-rule.ts';

/** Domain key -> JSON path of the first use, over all virtual hosts of one router config. */
type DomainsSeen = Map<string, string>;

function parseDomains(node: ConfigNode, seen: DomainsSeen): DomainConfig[] {
  const base = node.pathOf('domains');
  return (node.stringArray('domains') ?? []).map((text, i) => {
    const path = `${base}[${i}]`;
    const domain = classifyDomain(text);
    if (typeof domain === 'string') throw new ConfigError(path, `invalid domain ${JSON.stringify(text)}: ${domain}`);
    const key = domainKey(domain);
    const first = seen.get(key);
    if (first !== undefined) throw new ConfigError(path, `duplicate domain ${JSON.stringify(text)} (also at ${first})`);
    seen.set(key, path);
    return domain;
  });
}

function parseVirtualHost(node: ConfigNode, seen: DomainsSeen): VirtualHostConfig {
  const name = node.string('name', '');
  const domains = parseDomains(node, seen);
  const routes = node.objects('routers').map(parseRouteRule);
  const requestHeaders = parseRequestHeaderMutation(node);
  const responseHeaders = parseResponseHeaderMutation(node);
  node.ignore('require_tls', 'MOSN does not use it');
  node.ignore('per_filter_config', 'MOSN does not use per-virtual-host filter config');
  node.finish();
  return { name, path: node.path, domains, routes, requestHeaders, responseHeaders };
}

/** Parses one router configuration. Cluster names are recorded as references. */
export function parseRouterConfig(node: ConfigNode): RouterConfig {
  const name = node.requiredString('router_config_name');
  node.refuse('router_configs', 'loading virtual hosts from a directory (list them in virtual_hosts)');
  const seen: DomainsSeen = new Map();
  const virtualHosts = node.objects('virtual_hosts').map((vh) => parseVirtualHost(vh, seen));
  const requestHeaders = parseRequestHeaderMutation(node);
  const responseHeaders = parseResponseHeaderMutation(node);
  node.finish();
  return { name, path: node.path, virtualHosts, requestHeaders, responseHeaders };
}
