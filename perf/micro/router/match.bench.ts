// Route match cost: a 20-rule HTTP table (prefix rules, some with header conditions, one path
// and one regex rule, a catch-all) behind a host-specific virtual host, and an RPC service table.
// Run: node perf/micro/router/match.bench.ts   (Node 24: node_modules/.bin/node)
import type { RouteRequest } from '../../../src/api/router.ts';
import { parseRouterConfig } from '../../../src/config/route.ts';
import { JsonConfigNode, ReaderContext } from '../../../src/config/reader.ts';
import { compileRouter } from '../../../src/router/compile.ts';

class Req implements RouteRequest {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly #headers: Map<string, string>;
  constructor(host: string, method: string, path: string, headers: Record<string, string> = {}) {
    this.host = host;
    this.method = method;
    this.path = path;
    this.#headers = new Map(Object.entries(headers));
  }
  header(name: string): string | undefined {
    return this.#headers.get(name);
  }
}

function build(json: unknown) {
  return compileRouter(parseRouterConfig(new JsonConfigNode(json, 'bench', new ReaderContext())));
}

const httpRules: unknown[] = [];
for (let i = 0; i < 16; i++) {
  const headers = i % 4 === 0 ? [{ name: 'x-canary', value: '1' }] : i % 4 === 1 ? [{ name: 'x-env', value: '^(dev|test)$', regex: true }] : [];
  httpRules.push({ match: { prefix: `/svc${i}/`, headers }, route: { cluster_name: `c${i}` } });
}
httpRules.push({ match: { path: '/healthz' }, direct_response: { status: 200 } });
httpRules.push({ match: { regex: '^/static/.*\\.(css|js)$' }, route: { cluster_name: 'static' } });
httpRules.push({ match: { prefix: '/api/', headers: [{ name: 'method', value: 'POST' }] }, route: { cluster_name: 'writes' } });
httpRules.push({ match: { prefix: '/' }, route: { cluster_name: 'default' } });

const http = build({
  router_config_name: 'http',
  virtual_hosts: [
    { name: 'other', domains: ['other.example.com', '*.internal'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'x' } }] },
    { name: 'shop', domains: ['shop.example.com', 'shop.example.com:*'], routers: httpRules },
    { name: 'default', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'y' } }] },
  ],
});

const rpc = build({
  router_config_name: 'rpc',
  virtual_hosts: [
    {
      name: 'rpc',
      domains: ['*'],
      routers: [
        ...Array.from({ length: 19 }, (_, i) => ({ match: { headers: [{ name: 'service', value: `com.example.Svc${i}:1.0` }] }, route: { cluster_name: `s${i}` } })),
        { match: { headers: [{ name: 'service', value: '.*' }] }, route: { cluster_name: 'any' } },
      ],
    },
  ],
});

const httpRequests = [
  new Req('shop.example.com', 'GET', '/svc0/items', { 'x-canary': '1' }), // rule 0
  new Req('shop.example.com', 'GET', '/svc7/items'), // rule 7
  new Req('Shop.Example.com:8080', 'GET', '/svc13/a/b/c'), // rule 13
  new Req('shop.example.com', 'GET', '/svc9/x', { 'x-env': 'prod' }), // header miss -> catch-all
  new Req('shop.example.com', 'GET', '/healthz'), // rule 16
  new Req('shop.example.com', 'GET', '/static/app/main.js'), // rule 17 (regex)
  new Req('shop.example.com', 'POST', '/api/orders'), // rule 18
  new Req('shop.example.com', 'GET', '/index.html'), // rule 19 (after 19 misses)
];
const rpcRequests = [
  new Req('', '', '', { service: 'com.example.Svc0:1.0' }),
  new Req('', '', '', { service: 'com.example.Svc10:1.0' }),
  new Req('', '', '', { service: 'com.example.Svc18:1.0' }),
  new Req('', '', '', { service: 'com.example.Unknown:1.0' }),
];

function bench(name: string, router: { match(r: RouteRequest): { id: number } | undefined }, reqs: Req[]): void {
  const n = 2_000_000;
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += router.match(reqs[i % reqs.length]!)?.id ?? -1; // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += router.match(reqs[i % reqs.length]!)?.id ?? -1;
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`${name.padEnd(44)} ${ns.toFixed(1).padStart(7)} ns/op   (checksum ${sink})`);
}

console.log(`node ${process.version}`);
bench('http: 20 rules, mixed prefix/header/regex', http, httpRequests);
for (const r of httpRequests) bench(`  only ${r.method} ${r.host}${r.path}`, http, [r]);
bench('rpc: 20 service rules, mixed', rpc, rpcRequests);
