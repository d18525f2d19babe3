// The routers of reference/mosn.md §1.8 and of MOSN's configs/*.json, end to end: parse,
// structured clone (as posted to a worker), compile, match, act.
import { describe, expect, it } from 'vitest';
import { ReaderContext } from '../../../src/config/reader.ts';
import { applyHeaderOps } from '../../../src/router/header-mutation.ts';
import { rewritePath } from '../../../src/router/path-rewrite.ts';
import { redirectLocation } from '../../../src/router/redirect.ts';
import { pickCluster } from '../../../src/router/weighted-clusters.ts';
import { buildRouter, parseRouter, request } from './build-router.ts';

const httpRouter = {
  router_config_name: 'http_router',
  virtual_hosts: [
    {
      name: 'web',
      domains: ['*'],
      routers: [
        {
          match: { prefix: '/api/', headers: [{ name: 'x-canary', value: '1' }] },
          route: {
            cluster_name: 'web_v2',
            timeout: '3s',
            prefix_rewrite: '/',
            retry_policy: { retry_on: true, retry_timeout: '1s', num_retries: 2, status_codes: [502, 503] },
          },
        },
        {
          match: { prefix: '/api/' },
          route: {
            weighted_clusters: [{ cluster: { name: 'web_v1', weight: 90 } }, { cluster: { name: 'web_v2', weight: 10 } }],
            request_headers_to_add: [{ header: { key: 'x-orig-path', value: '%x-mosn-path%' }, append: false }],
          },
        },
        { match: { path: '/old' }, redirect: { response_code: 302, path_redirect: '/new' } },
        { match: { prefix: '/' }, direct_response: { status: 200, body: 'ok\n' } },
      ],
    },
  ],
};

const rpcRouter = {
  router_config_name: 'rpc_router',
  virtual_hosts: [
    {
      name: 'rpc',
      domains: ['*'],
      routers: [
        {
          match: { headers: [{ name: 'service', value: 'com.example.EchoService:1.0' }] },
          route: { cluster_name: 'rpc_echo', metadata_match: { filter_metadata: { 'mosn.lb': { stage: 'gray' } } } },
        },
        { match: { headers: [{ name: 'service', value: '.*' }] }, route: { cluster_name: 'rpc_default' } },
      ],
    },
  ],
};

describe('reference §1.8 http_router', () => {
  const router = buildRouter(httpRouter);

  it('canary header -> web_v2 with rewrite, timeout and retry policy', () => {
    const route = router.match(request({ host: 'shop.example.com', path: '/api/items', headers: { 'x-canary': '1' } }))!;
    expect(route.cluster?.name).toBe('web_v2');
    expect(route.timeoutMs).toBe(3000);
    expect(route.retryPolicy).toEqual({ retryOn: true, retryTimeoutMs: 1000, numRetries: 2, statusCodes: [502, 503] });
    expect(rewritePath(route, '/api/items')).toBe('/items');
  });

  it('other /api/ requests split 90/10 and carry the original path header', () => {
    const route = router.match(request({ path: '/api/items' }))!;
    expect(route.kind).toBe('weighted-clusters');
    expect(pickCluster(route, 0.5)?.name).toBe('web_v1');
    expect(pickCluster(route, 0.95)?.name).toBe('web_v2');
    expect(route.timeoutMs).toBeUndefined();
    const headers = new Map<string, string>([['x-orig-path', 'spoofed']]);
    applyHeaderOps(route.requestHeaderOps, {
      get: (n) => headers.get(n),
      set: (_name, lower, value) => void headers.set(lower, value),
      remove: (n) => void headers.delete(n),
    }, { variable: (n) => (n === 'x-mosn-path' ? '/api/items' : undefined) });
    expect(headers.get('x-orig-path')).toBe('/api/items');
  });

  it('/old redirects with 302 (path compared case-insensitively)', () => {
    const route = router.match(request({ path: '/OLD' }))!;
    expect(route.kind).toBe('redirect');
    expect(route.redirect!.responseCode).toBe(302);
    expect(redirectLocation(route.redirect!, { scheme: 'http', host: 'h', path: '/OLD', query: 'q=1' })).toBe('http://h/new?q=1');
  });

  it('everything else gets the direct response', () => {
    const route = router.match(request({ path: '/index.html' }))!;
    expect(route.directResponse).toEqual({ status: 200, body: 'ok\n' });
    expect(pickCluster(route, 0)).toBeUndefined();
  });

  it('an RPC request matches none of the HTTP rules', () => {
    expect(router.match(request({ headers: { service: 'x' } }))).toBeUndefined();
  });
});

describe('reference §1.8 rpc_router (MOSN service routing)', () => {
  const router = buildRouter(rpcRouter);

  it('exact service -> rpc_echo with subset metadata', () => {
    const route = router.match(request({ headers: { service: 'com.example.EchoService:1.0' } }))!;
    expect(route.cluster).toEqual({ name: 'rpc_echo', metadataMatch: { stage: 'gray' } });
  });

  it('any other service -> rpc_default; no service -> no route', () => {
    expect(router.match(request({ headers: { service: 'com.example.Other:2.0' } }))?.cluster?.name).toBe('rpc_default');
    expect(router.match(request({}))).toBeUndefined();
  });

  it('routes by service whatever the host (only a default virtual host)', () => {
    expect(router.match(request({ host: 'anything:12200', headers: { service: 'a' } }))?.cluster?.name).toBe('rpc_default');
  });
});

describe("MOSN's configs/mosn_config_mirror.json router", () => {
  it('keeps the mirror policy and references the mirror cluster', () => {
    const ctx = new ReaderContext();
    const cfg = parseRouter(
      {
        router_config_name: '20882',
        virtual_hosts: [
          {
            name: 'provider',
            domains: ['*'],
            routers: [
              {
                match: { headers: [{ name: 'service', value: '.*' }] },
                route: { cluster_name: 'dubbo_provider_cluster' },
                request_mirror_policies: { cluster: 'dubbo_mirror', percent: 30 },
              },
            ],
          },
        ],
      },
      ctx,
    );
    expect(cfg.virtualHosts[0]!.routes[0]!.mirrorPolicy).toEqual({ cluster: 'dubbo_mirror', percent: 30 });
    expect(ctx.references.map((r) => r.name)).toEqual(['dubbo_provider_cluster', 'dubbo_mirror']);
  });
});
