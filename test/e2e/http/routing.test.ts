// The router end to end through the proxy: virtual hosts by Host, prefix/path/regex/header
// matches, MOSN's `service` header rule, weighted clusters, direct responses, redirects, path
// and host rewrites, header operations with %variable% values, route timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { httpProxyConfig } from '../../helpers/http-config.ts';
import { echoHandler, startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { rawExchange } from '../../helpers/raw-http-client.ts';
import { header } from '../../helpers/http-wire.ts';
import { freePort } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

interface Echo {
  upstream: string;
  method: string;
  url: string;
  headers: Record<string, string>;
}

describe('routing through the proxy', () => {
  let up1: HttpUpstream;
  let up2: HttpUpstream;
  let hang: HttpUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let pool: Pool;

  beforeAll(async () => {
    up1 = await startHttpUpstream((req, res) => {
      if (req.url === '/internal') res.setHeader('x-internal', 'secret');
      echoHandler('up1')(req, res);
    });
    up2 = await startHttpUpstream(echoHandler('up2'));
    hang = await startHttpUpstream((req) => req.resume()); // never answers
    port = await freePort();
    const to = (cluster: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ cluster_name: cluster, ...extra });
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [
          { name: 'up1', hosts: [up1.port] },
          { name: 'up2', hosts: [up2.port] },
          { name: 'hang', hosts: [hang.port] },
        ],
        routerExtra: { response_headers_to_add: [{ header: { key: 'x-router', value: 'http_router' } }] },
        virtualHosts: [
          { name: 'vh-a', domains: ['a.example'], routers: [{ match: { prefix: '/' }, direct_response: { status: 200, body: 'vh-a' } }] },
          { name: 'vh-b', domains: ['b.example:8080', '*.wild.example'], routers: [{ match: { prefix: '/' }, direct_response: { status: 200, body: 'vh-b' } }] },
          // MOSN's sofarpc example rule (headers only, `service` ".*"), used for HTTP
          { name: 'rpc', domains: ['rpc.example'], routers: [{ match: { headers: [{ name: 'service', value: '.*' }] }, route: to('up2') }] },
          {
            name: 'default',
            domains: ['*'],
            request_headers_to_add: [{ header: { key: 'x-vhost', value: 'default' } }],
            routers: [
              { match: { path: '/Exact' }, route: to('up1') },
              { match: { regex: '^/re/[0-9]+$' }, route: to('up2') },
              { match: { prefix: '/hdr', headers: [{ name: 'x-env', value: 'canary' }] }, route: to('up2') },
              { match: { prefix: '/hdr', headers: [{ name: 'x-ver', value: 'v[0-9]+', regex: true }] }, route: to('hang', { timeout: '1ms' }) },
              { match: { prefix: '/hdr' }, route: to('up1') },
              { match: { prefix: '/method', headers: [{ name: 'method', value: 'DELETE' }] }, route: to('up2') },
              { match: { prefix: '/method' }, route: to('up1') },
              { match: { prefix: '/weighted' }, route: { weighted_clusters: [{ cluster: { name: 'up1', weight: 30 } }, { cluster: { name: 'up2', weight: 70 } }] } },
              { match: { prefix: '/direct' }, direct_response: { status: 418, body: 'short and stout' } },
              { match: { prefix: '/r301' }, redirect: { path_redirect: '/new' } },
              { match: { prefix: '/r302' }, redirect: { response_code: 302, host_redirect: 'other.example' } },
              { match: { prefix: '/r303' }, redirect: { response_code: 303, scheme_redirect: 'https' } },
              { match: { prefix: '/r307' }, redirect: { response_code: 307, path_redirect: '/t307' } },
              { match: { prefix: '/r308' }, redirect: { response_code: 308, path_redirect: '/t308', host_redirect: 'h.example' } },
              { match: { prefix: '/rewrite/' }, route: to('up1', { prefix_rewrite: '/v2/' }) },
              { match: { prefix: '/rx/' }, route: to('up1', { regex_rewrite: { pattern: { regex: '^/rx/(\\w+)/(\\w+)$' }, substitution: '/swapped/$2/$1' } }) },
              { match: { prefix: '/host' }, route: to('up1', { host_rewrite: 'rewritten.example' }) },
              { match: { prefix: '/autohost' }, route: to('up1', { auto_host_rewrite_header: 'x-real-host' }) },
              {
                match: { prefix: '/headers' },
                route: to('up1', {
                  request_headers_to_add: [
                    { header: { key: 'x-static', value: 'static' }, append: false },
                    { header: { key: 'x-path', value: '%x-mosn-path%' } },
                    { header: { key: 'x-method', value: '%x-mosn-method%' } },
                    { header: { key: 'x-host', value: '%x-mosn-host%' } },
                    { header: { key: 'x-unknown', value: '%no_such_variable%' } },
                    { header: { key: 'x-multi', value: 'added' }, append: true },
                  ],
                  request_headers_to_remove: ['x-secret'],
                  response_headers_to_add: [{ header: { key: 'x-upstream-host', value: '%upstream_host%' } }],
                  response_headers_to_remove: ['x-internal'],
                }),
              },
              { match: { prefix: '/internal' }, route: to('up1') },
              { match: { prefix: '/timeout' }, route: to('hang', { timeout: '300ms' }) },
            ],
          },
        ],
      }),
    );
    pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
  });

  afterAll(async () => {
    await pool?.close();
    await proxy?.stop();
    await Promise.all([up1?.close(), up2?.close(), hang?.close()]);
  });

  async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    const r = await pool.request({ path, method, headers });
    return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
  }

  async function echo(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Echo> {
    const r = await get(path, headers, method);
    expect(r.status, r.text).toBe(200);
    return JSON.parse(r.text) as Echo;
  }

  it('picks the virtual host by Host: exact, with port, wildcard suffix, default', async () => {
    expect((await get('/', { host: 'a.example' })).text).toBe('vh-a');
    expect((await get('/', { host: 'A.Example' })).text).toBe('vh-a');
    expect((await get('/', { host: 'b.example:8080' })).text).toBe('vh-b');
    expect((await get('/', { host: 'x.wild.example' })).text).toBe('vh-b');
    expect((await echo('/hdr', { host: 'b.example' })).upstream).toBe('up1'); // wrong port: default vhost
  });

  it('matches path (case-insensitive), regex and prefix rules in order', async () => {
    expect((await echo('/exact')).upstream).toBe('up1');
    expect((await echo('/re/123')).upstream).toBe('up2');
    const r = await get('/re/12a');
    expect(r.status).toBe(404);
    expect(r.text).toBe('no route matched\n');
  });

  it('matches header conditions (exact, regex) and the method pseudo-header', async () => {
    expect((await echo('/hdr', { 'x-env': 'canary' })).upstream).toBe('up2');
    expect((await echo('/hdr', { 'x-env': 'prod' })).upstream).toBe('up1');
    expect((await get('/hdr', { 'x-ver': 'v12' })).status).toBe(504); // the regex rule (its 1 ms timeout)
    expect((await echo('/hdr', { 'x-ver': 'vX' })).upstream).toBe('up1');
    expect((await echo('/method', {}, 'DELETE')).upstream).toBe('up2');
    expect((await echo('/method', {}, 'GET')).upstream).toBe('up1');
  });

  it("routes HTTP by MOSN's `service` header rule", async () => {
    const e = await echo('/any/path', { host: 'rpc.example', service: 'com.alipay.test.TestService:1.0' });
    expect(e.upstream).toBe('up2');
    expect(e.headers['service']).toBe('com.alipay.test.TestService:1.0');
    expect((await get('/any/path', { host: 'rpc.example' })).status).toBe(404);
  });

  it('spreads weighted_clusters 30/70 over 1000 requests', async () => {
    const counts: Record<string, number> = { up1: 0, up2: 0 };
    for (let batch = 0; batch < 20; batch++) {
      const rs = await Promise.all(Array.from({ length: 50 }, () => echo('/weighted')));
      for (const e of rs) counts[e.upstream]!++;
    }
    expect(counts['up1']! + counts['up2']!).toBe(1000);
    // binomial(1000, 0.3): sd ~14.5; 5 sd either way
    expect(counts['up1']).toBeGreaterThan(300 - 73);
    expect(counts['up1']).toBeLessThan(300 + 73);
  });

  it('answers direct_response locally, HEAD without the body', async () => {
    const r = await get('/direct');
    expect(r.status).toBe(418);
    expect(r.text).toBe('short and stout');
    expect(r.headers['x-router']).toBe('http_router'); // MOSN finalizes local replies of a matched route too
    expect((await get('/re/x')).headers['x-router']).toBeUndefined(); // no route: nothing to apply
    const h = await rawExchange(port, 'HEAD /direct HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false, methods: ['HEAD'] });
    expect(h.responses[0]!.status).toBe(418);
    expect(header(h.responses[0]!, 'content-length')).toBe('15');
    expect(h.data.toString('latin1').endsWith('\r\n\r\n')).toBe(true);
  });

  it('redirects with 301/302/303/307/308 and the right Location, query kept', async () => {
    const cases: Array<[string, number, string]> = [
      ['/r301/x?q=1', 301, 'http://r.example/new?q=1'],
      ['/r302/x?q=1', 302, 'http://other.example/r302/x?q=1'],
      ['/r303/x', 303, 'https://r.example/r303/x'],
      ['/r307', 307, 'http://r.example/t307'],
      ['/r308', 308, 'http://h.example/t308'],
    ];
    for (const [path, status, location] of cases) {
      const r = await get(path, { host: 'r.example' });
      expect(r.status, path).toBe(status);
      expect(r.headers['location'], path).toBe(location);
    }
  });

  it('prefix_rewrite and regex_rewrite change the path upstream and keep x-mosn-original-path', async () => {
    const p = await echo('/rewrite/items/7?full=1');
    expect(p.url).toBe('/v2/items/7?full=1');
    expect(p.headers['x-mosn-original-path']).toBe('/rewrite/items/7');
    const r = await echo('/rx/first/second');
    expect(r.url).toBe('/swapped/second/first');
    expect(r.headers['x-mosn-original-path']).toBe('/rx/first/second');
    const none = await echo('/rx/only-one');
    expect(none.url).toBe('/rx/only-one');
    expect(none.headers['x-mosn-original-path']).toBeUndefined();
  });

  it('host_rewrite and auto_host_rewrite_header set the upstream Host', async () => {
    expect((await echo('/host', { host: 'client.example' })).headers['host']).toBe('rewritten.example');
    const e = await echo('/autohost', { host: 'client.example', 'x-real-host': 'real.example' });
    expect(e.headers['host']).toBe('real.example');
    expect((await echo('/autohost', { host: 'client.example' })).headers['host']).toBe('client.example');
  });

  it('adds and removes request and response headers, %variable% values expanded', async () => {
    const r = await get('/headers/a?b=c', { host: 'h.example', 'x-secret': 'pw', 'x-static': 'client', 'x-multi': 'client' }, 'POST');
    expect(r.status).toBe(200);
    const e = JSON.parse(r.text) as Echo;
    expect(e.headers['x-secret']).toBeUndefined();
    expect(e.headers['x-static']).toBe('static');
    expect(e.headers['x-multi']).toBe('client,added');
    expect(e.headers['x-path']).toBe('/headers/a');
    expect(e.headers['x-method']).toBe('POST');
    expect(e.headers['x-host']).toBe('h.example');
    expect(e.headers['x-unknown']).toBe('%no_such_variable%');
    expect(e.headers['x-vhost']).toBe('default');
    expect(r.headers['x-upstream-host']).toBe(`127.0.0.1:${up1.port}`);
    expect(r.headers['x-router']).toBe('http_router');
    const internal = await get('/internal');
    expect(internal.headers['x-internal']).toBe('secret');
    expect(internal.headers['x-router']).toBe('http_router');
  });

  it('a route timeout answers 504 after about the configured time', async () => {
    const t0 = performance.now();
    const r = await get('/timeout');
    const elapsed = performance.now() - t0;
    expect(r.status).toBe(504);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(3_000);
  });
});
