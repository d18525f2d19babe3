import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/common/errors.ts';
import { ReaderContext } from '../../../src/config/reader.ts';
import { oneHost, parseRouter, ROUTER_PATH } from '../router/build-router.ts';

const VH = `${ROUTER_PATH}.virtual_hosts[0]`;

function errorOf(json: unknown): ConfigError {
  try {
    parseRouter(json);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const toCluster = (match: unknown, route: Record<string, unknown> = {}) => ({ match, route: { cluster_name: 'c', ...route } });

describe('parseRouterConfig', () => {
  it('parses the shape and records cluster references with their paths', () => {
    const ctx = new ReaderContext();
    const cfg = parseRouter(
      {
        Router_Config_Name: 'http_router', // keys match case-insensitively
        virtual_hosts: [
          {
            name: 'web',
            domains: ['Example.COM', '*.foo.com', 'api.*', 'example.com:*', '*'],
            routers: [
              toCluster({ prefix: '/a', headers: [{ name: 'X-Canary', value: '1' }] }, { timeout: '3s' }),
              {
                match: { path: '/b' },
                route: { weighted_clusters: [{ cluster: { name: 'w1', weight: 90 } }, { cluster: { name: 'w2', weight: 10 } }] },
              },
            ],
          },
        ],
        request_headers_to_add: [{ header: { key: 'X-Global', value: '%x-mosn-path%' } }],
        response_headers_to_remove: ['Server'],
      },
      ctx,
    );
    expect(cfg.name).toBe('http_router');
    expect(cfg.path).toBe(ROUTER_PATH);
    const vh = cfg.virtualHosts[0]!;
    expect(vh.domains.map((d) => [d.kind, d.host, d.port])).toEqual([
      ['exact', 'example.com', ''],
      ['suffix', '.foo.com', ''],
      ['prefix', 'api.', ''],
      ['exact', 'example.com', '*'],
      ['default', '', '*'],
    ]);
    const [r0, r1] = vh.routes;
    expect(r0!.path).toBe(`${VH}.routers[0]`);
    expect(r0!.match.headers).toEqual([{ name: 'x-canary', kind: 'exact', value: '1', regex: undefined }]);
    expect(r0!.timeoutMs).toBe(3000);
    expect(r0!.hashPolicy).toEqual({ kind: 'source-ip' });
    expect(r1!.action).toEqual({
      kind: 'weighted-clusters',
      clusters: [
        { name: 'w1', weight: 90, metadataMatch: undefined },
        { name: 'w2', weight: 10, metadataMatch: undefined },
      ],
    });
    expect(cfg.requestHeaders.add).toEqual([
      { name: 'X-Global', lowerName: 'x-global', text: '%x-mosn-path%', variable: 'x-mosn-path', append: true },
    ]);
    expect(cfg.responseHeaders.remove).toEqual(['server']);
    expect(ctx.references).toEqual([
      { kind: 'cluster', name: 'c', path: `${VH}.routers[0].route.cluster_name` },
      { kind: 'cluster', name: 'w1', path: `${VH}.routers[1].route.weighted_clusters[0].cluster.name` },
      { kind: 'cluster', name: 'w2', path: `${VH}.routers[1].route.weighted_clusters[1].cluster.name` },
    ]);
    expect(structuredClone(cfg)).toEqual(cfg);
  });

  it('parses the full route action', () => {
    const cfg = parseRouter(
      oneHost([
        {
          match: { regex: '^/svc/([^/]+)', headers: [{ name: 'method', value: 'GET' }, { name: 'x-present' }] },
          route: {
            cluster_name: 'c',
            metadata_match: { filter_metadata: { 'mosn.lb': { stage: 'gray' } } },
            upstream_protocol: 'Http2',
            retry_policy: { retry_on: true, retry_timeout: '1s', num_retries: 2, status_codes: [502, 503] },
            hash_policy: [{ header: { key: 'X-User' } }],
            regex_rewrite: { pattern: { regex: '^/svc/([^/]+)' }, substitution: '/${1}' },
            host_rewrite: 'backend.internal',
            response_headers_to_add: [{ header: { key: 'x-a', value: 'b' }, append: false }],
          },
          per_filter_config: { fault_inject: { delay_percent: 100 } },
          request_mirror_policies: { cluster: 'm', percent: 10 },
        },
      ]),
    );
    const r = cfg.virtualHosts[0]!.routes[0]!;
    expect(r.match.path).toEqual({ kind: 'regex', regex: { re2: '^/svc/([^/]+)', js: '^/svc/([^/]+)' } });
    expect(r.match.headers[1]).toEqual({ name: 'x-present', kind: 'present', value: '', regex: undefined });
    expect(r.action).toEqual({ kind: 'cluster', cluster: { name: 'c', metadataMatch: { stage: 'gray' } } });
    expect(r.upstreamProtocol).toBe('Http2');
    expect(r.retryPolicy).toEqual({ retryOn: true, retryTimeoutMs: 1000, numRetries: 2, statusCodes: [502, 503] });
    expect(r.hashPolicy).toEqual({ kind: 'header', key: 'x-user' });
    expect(r.regexRewrite?.substitution).toBe('/${1}');
    expect(r.hostRewrite).toBe('backend.internal');
    expect(r.responseHeaders.add[0]!.append).toBe(false);
    expect(r.perFilterConfig).toEqual({ fault_inject: { delay_percent: 100 } });
    expect(r.mirrorPolicy).toEqual({ cluster: 'm', percent: 10 });
    expect(r.timeoutMs).toBeUndefined();
  });

  it('parses redirects and direct responses, with MOSN precedence warnings', () => {
    const ctx = new ReaderContext();
    const cfg = parseRouter(
      oneHost([
        { match: { path: '/old' }, redirect: { path_redirect: '/new', scheme_redirect: 'HTTPS' } },
        { match: { prefix: '/' }, direct_response: { status: 200, body: 'ok\n' }, route: { cluster_name: 'x' } },
      ]),
      ctx,
    );
    const [r0, r1] = cfg.virtualHosts[0]!.routes;
    expect(r0!.action).toEqual({ kind: 'redirect', redirect: { responseCode: 301, path: '/new', host: undefined, scheme: 'https' } });
    expect(r1!.action).toEqual({ kind: 'direct-response', response: { status: 200, body: 'ok\n' } });
    expect(ctx.warnings).toEqual([{ path: `${VH}.routers[1].route`, message: 'ignored: direct_response takes precedence (as in MOSN)' }]);
    expect(ctx.references).toEqual([]);
  });

  it('treats a rule with headers only as an RPC rule, and no match as match-all', () => {
    const cfg = parseRouter(oneHost([toCluster({ headers: [{ name: 'service', value: '.*' }] }), { route: { cluster_name: 'c' } }]));
    expect(cfg.virtualHosts[0]!.routes.map((r) => r.match.path.kind)).toEqual(['rpc', 'rpc']);
  });

  it('accepts a router config without virtual hosts (MOSN: valid, routes nothing)', () => {
    expect(parseRouter({ router_config_name: 'empty' }).virtualHosts).toEqual([]);
  });
});

describe('parseRouterConfig errors (exact JSON paths)', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['unknown key in a rule', oneHost([{ ...toCluster({ prefix: '/' }), colour: 'red' }]), `${VH}.routers[0].colour`, /unknown key/],
    ['unknown key in match', oneHost([toCluster({ prefix: '/', query: 'x' })]), `${VH}.routers[0].match.query`, /unknown key/],
    ['unknown key in route', oneHost([toCluster({ prefix: '/' }, { retries: 3 })]), `${VH}.routers[0].route.retries`, /unknown key/],
    ['unknown key at the top', { router_config_name: 'r', virtualhosts: [] }, `${ROUTER_PATH}.virtualhosts`, /unknown key/],
    ['bad path regex', oneHost([toCluster({ regex: '/a(' })]), `${VH}.routers[0].match.regex`, /invalid regex "\/a\("/],
    ['lookahead regex', oneHost([toCluster({ regex: '/a(?=b)' })]), `${VH}.routers[0].match.regex`, /lookaround/],
    [
      'bad header regex',
      oneHost([toCluster({ prefix: '/', headers: [{ name: 'x', value: '[', regex: true }] })]),
      `${VH}.routers[0].match.headers[0].value`,
      /invalid regex/,
    ],
    [
      'bad rewrite regex',
      oneHost([toCluster({ prefix: '/' }, { regex_rewrite: { pattern: { regex: '(' }, substitution: '' } })]),
      `${VH}.routers[0].route.regex_rewrite.pattern.regex`,
      /invalid regex/,
    ],
    ['bad redirect code', oneHost([{ match: { prefix: '/' }, redirect: { response_code: 305 } }]), `${VH}.routers[0].redirect.response_code`, /305 is not supported/],
    ['bad redirect scheme', oneHost([{ match: { prefix: '/' }, redirect: { scheme_redirect: '1http' } }]), `${VH}.routers[0].redirect.scheme_redirect`, /invalid scheme/],
    [
      'variables matcher',
      oneHost([toCluster({ variables: [{ name: 'x-mosn-method', value: 'GET' }] })]),
      `${VH}.routers[0].match.variables`,
      /not supported: variable route matchers/,
    ],
    ['dsl matcher', oneHost([toCluster({ dsl_expressions: [{ expression: 'x' }] })]), `${VH}.routers[0].match.dsl_expressions`, /not supported/],
    ['cluster_variable', oneHost([toCluster({ prefix: '/' }, { cluster_variable: 'v' })]), `${VH}.routers[0].route.cluster_variable`, /not supported/],
    ['no action', oneHost([{ match: { prefix: '/' } }]), `${VH}.routers[0].route`, /is required/],
    ['no cluster', oneHost([{ match: { prefix: '/' }, route: { timeout: '1s' } }]), `${VH}.routers[0].route.cluster_name`, /is required/],
    [
      'weights add up to 0',
      oneHost([{ route: { weighted_clusters: [{ cluster: { name: 'a' } }] } }]),
      `${VH}.routers[0].route.weighted_clusters`,
      /add up to 0/,
    ],
    [
      'duplicate weighted cluster',
      oneHost([{ route: { weighted_clusters: [{ cluster: { name: 'a', weight: 1 } }, { cluster: { name: 'a', weight: 1 } }] } }]),
      `${VH}.routers[0].route.weighted_clusters[1].cluster.name`,
      /duplicate cluster "a"/,
    ],
    ['bad timeout', oneHost([toCluster({ prefix: '/' }, { timeout: '3 seconds' })]), `${VH}.routers[0].route.timeout`, /invalid duration/],
    [
      'bad retry status code',
      oneHost([toCluster({ prefix: '/' }, { retry_policy: { status_codes: [502, 'x'] } })]),
      `${VH}.routers[0].route.retry_policy.status_codes[1]`,
      /status code/,
    ],
    [
      'two hash policies',
      oneHost([toCluster({ prefix: '/' }, { hash_policy: [{ source_ip: {} }, { header: { key: 'a' } }] })]),
      `${VH}.routers[0].route.hash_policy`,
      /only one hash policy/,
    ],
    [
      'non-string metadata',
      oneHost([toCluster({ prefix: '/' }, { metadata_match: { filter_metadata: { 'mosn.lb': { version: 1 } } } })]),
      `${VH}.routers[0].route.metadata_match.filter_metadata.mosn.lb.version`,
      /expected a string/,
    ],
    [
      'bad header to add',
      oneHost([toCluster({ prefix: '/' }, { request_headers_to_add: [{ header: { key: 'bad key', value: 'v' } }] })]),
      `${VH}.routers[0].route.request_headers_to_add[0].header.key`,
      /invalid header name/,
    ],
    ['direct response without status', oneHost([{ direct_response: { body: 'x' } }]), `${VH}.routers[0].direct_response.status`, /is required/],
    ['router_configs directory', { router_config_name: 'r', router_configs: '/etc/routes' }, `${ROUTER_PATH}.router_configs`, /not supported/],
    ['missing name', { virtual_hosts: [] }, `${ROUTER_PATH}.router_config_name`, /is required/],
  ];
  for (const [name, json, path, reason] of cases) {
    it(name, () => {
      const err = errorOf(json);
      expect(err.path).toBe(path);
      expect(err.reason).toMatch(reason);
    });
  }

  it('refuses duplicate domains across virtual hosts, naming both', () => {
    const err = errorOf({
      router_config_name: 'r',
      virtual_hosts: [
        { name: 'a', domains: ['a.com', '*.b.com'] },
        { name: 'b', domains: ['x.com', '*.B.com'] },
      ],
    });
    expect(err.path).toBe(`${ROUTER_PATH}.virtual_hosts[1].domains[1]`);
    expect(err.reason).toBe(`duplicate domain "*.B.com" (also at ${ROUTER_PATH}.virtual_hosts[0].domains[1])`);
  });

  it('refuses two defaults ("*" and "*:*" are the same)', () => {
    const err = errorOf({ router_config_name: 'r', virtual_hosts: [{ domains: ['*'] }, { domains: ['*:*'] }] });
    expect(err.path).toBe(`${ROUTER_PATH}.virtual_hosts[1].domains[0]`);
  });

  it('refuses malformed domains', () => {
    for (const d of ['a:b:c', 'foo.*.com', '*a*', '', ':80', 'a.com:http']) {
      const err = errorOf({ router_config_name: 'r', virtual_hosts: [{ domains: [d] }] });
      expect(err.path, d).toBe(`${ROUTER_PATH}.virtual_hosts[0].domains[0]`);
    }
  });

  it('allows the same host on different ports', () => {
    expect(() => parseRouter({ router_config_name: 'r', virtual_hosts: [{ domains: ['a.com', 'a.com:8080', 'a.com:*', '*:80'] }] })).not.toThrow();
  });
});
