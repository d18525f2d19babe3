// Does DESIGN.md's shared-memory route cache pay for itself? A prototype of it — an
// open-addressing table in a SharedArrayBuffer keyed by a hash of (listener, authority, method,
// path), holding (hash, generation, route id), read with Atomics — against plain router.match on
// the same requests. (A real cache could only hold routes whose match ignores headers; this
// prototype ignores that, which flatters it.)
// Run: node_modules/.bin/node perf/micro/router/route-cache.bench.ts
import type { RouteRequest } from '../../../src/api/router.ts';
import { parseRouterConfig } from '../../../src/config/route.ts';
import { JsonConfigNode, ReaderContext } from '../../../src/config/reader.ts';
import { compileRouter } from '../../../src/router/compile.ts';

class Req implements RouteRequest {
  readonly host: string;
  readonly method = 'GET';
  readonly path: string;
  constructor(host: string, path: string) {
    this.host = host;
    this.path = path;
  }
  header(): string | undefined {
    return undefined;
  }
}

const rules: unknown[] = Array.from({ length: 19 }, (_, i) => ({ match: { prefix: `/svc${i}/` }, route: { cluster_name: `c${i}` } }));
rules.push({ match: { prefix: '/' }, route: { cluster_name: 'default' } });
const router = compileRouter(
  parseRouterConfig(new JsonConfigNode({ router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: rules }] }, 'bench', new ReaderContext())),
);

// ---- the prototype cache ----
const SLOTS = 1 << 14;
const table = new Int32Array(new SharedArrayBuffer(SLOTS * 3 * 4));
const GENERATION = 1;

function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

function keyHash(listener: number, r: Req): number {
  let h = Math.imul(2166136261 ^ listener, 16777619);
  h = fnv1a(h, r.host);
  h = fnv1a(h ^ 0x2f, r.method);
  h = fnv1a(h ^ 0x20, r.path);
  return h | 1;
}

function cachedMatch(listener: number, r: Req): number {
  const h = keyHash(listener, r);
  let at = (h >>> 0) % SLOTS;
  for (let probe = 0; probe < 4; probe++, at = (at + 1) % SLOTS) {
    const o = at * 3;
    const stored = Atomics.load(table, o);
    if (stored === 0) break;
    if (stored === h && Atomics.load(table, o + 1) === GENERATION) return Atomics.load(table, o + 2);
  }
  const route = router.match(r);
  const id = route?.id ?? -1;
  const o = ((h >>> 0) % SLOTS) * 3;
  Atomics.store(table, o + 2, id);
  Atomics.store(table, o + 1, GENERATION);
  Atomics.store(table, o, h);
  return id;
}

function bench(name: string, fn: () => number, n = 2_000_000): void {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) sink += fn();
  const ns = ((performance.now() - t) * 1e6) / n;
  console.log(`${name.padEnd(48)} ${ns.toFixed(1).padStart(7)} ns/op   (${sink & 1})`);
}

const first = new Req('shop.example.com', '/svc0/items/42');
const last = new Req('shop.example.com', '/catalog/items/42');
const paths = Array.from({ length: 1000 }, (_, i) => new Req('shop.example.com', `/svc${i % 19}/items/${i}`));
let k = 0;

bench('router.match, first rule matches', () => router.match(first)!.id);
bench('cache hit, same request', () => cachedMatch(1, first));
bench('router.match, 20th rule (catch-all) matches', () => router.match(last)!.id);
bench('cache hit, 20th rule', () => cachedMatch(1, last));
bench('router.match, 1000 distinct paths', () => router.match(paths[k++ % 1000]!)!.id);
bench('cache, 1000 distinct paths (hits after warm-up)', () => cachedMatch(1, paths[k++ % 1000]!));
