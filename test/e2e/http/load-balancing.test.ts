// Clusters through HTTP: the balancers' distributions, least-request and circuit breakers
// counted across two workers, Maglev with a header hash policy, upstream keep-alive reuse,
// the cluster idle_timeout and max_request_per_conn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { httpProxyConfig } from '../../helpers/http-config.ts';
import { echoHandler, RecordingUpstream, startHoldingUpstream, startHttpUpstream, type HoldingUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { RawClient, rawExchange, type RawResult } from '../../helpers/raw-http-client.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

/** One request on its own connection (Connection: close), so handoff spreads them over workers. */
function oneShot(port: number, path: string, headers = ''): Promise<RawResult> {
  return rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n${headers}\r\n`, { waitClose: true, timeoutMs: 15_000 });
}

function prefixRoute(prefix: string, cluster: string, route: Record<string, unknown> = {}): Record<string, unknown> {
  return { match: { prefix }, route: { cluster_name: cluster, ...route } };
}

describe('load balancers and upstream connection reuse (1 worker)', () => {
  const hosts: HttpUpstream[] = [];
  let rec: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let pool: Pool;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) hosts.push(await startHttpUpstream(echoHandler(`h${i}`)));
    rec = await RecordingUpstream.start();
    [port] = (await freePorts(1)) as [number];
    const p = hosts.map((h) => h.port);
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [
          { name: 'rr', hosts: [p[0]!, p[1]!] },
          { name: 'random', hosts: [p[0]!, p[1]!], lbType: 'LB_RANDOM' },
          { name: 'wrr', hosts: [{ port: p[0]!, weight: 1 }, { port: p[1]!, weight: 3 }], lbType: 'LB_WEIGHTED_ROUNDROBIN' },
          { name: 'maglev', hosts: p, lbType: 'LB_MAGLEV' },
          { name: 'reuse', hosts: [rec.port] },
          { name: 'idle', hosts: [rec.port], extra: { idle_timeout: '300ms' } },
          { name: 'perconn', hosts: [rec.port], extra: { max_request_per_conn: 2 } },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['*'],
            routers: [
              prefixRoute('/rr', 'rr'),
              prefixRoute('/random', 'random'),
              prefixRoute('/wrr', 'wrr'),
              prefixRoute('/maglev', 'maglev', { hash_policy: [{ header: { key: 'x-user' } }] }),
              prefixRoute('/reuse', 'reuse'),
              prefixRoute('/idle', 'idle'),
              prefixRoute('/perconn', 'perconn'),
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
    await Promise.all([...hosts.map((h) => h.close()), rec?.close()]);
  });

  async function upstreamOf(path: string, headers: Record<string, string> = {}): Promise<string> {
    const r = await pool.request({ path, method: 'GET', headers });
    expect(r.statusCode).toBe(200);
    return r.headers['x-upstream'] as string;
  }

  async function distribution(path: string, n: number, concurrency = 1): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (let done = 0; done < n; done += concurrency) {
      const batch = await Promise.all(Array.from({ length: Math.min(concurrency, n - done) }, () => upstreamOf(path)));
      for (const u of batch) counts[u] = (counts[u] ?? 0) + 1;
    }
    return counts;
  }

  it('LB_ROUNDROBIN alternates exactly', async () => {
    const c = await distribution('/rr', 100);
    expect(c).toEqual({ h0: 50, h1: 50 });
  });

  it('LB_RANDOM spreads over both hosts', async () => {
    const c = await distribution('/random', 400, 20);
    // binomial(400, 0.5): sd 10; 6 sd either way
    expect(c['h0']).toBeGreaterThan(140);
    expect(c['h1']).toBeGreaterThan(140);
  });

  it('LB_WEIGHTED_ROUNDROBIN follows weights 1:3', async () => {
    const c = await distribution('/wrr', 400);
    expect(c['h0']).toBeGreaterThanOrEqual(95);
    expect(c['h0']).toBeLessThanOrEqual(105);
    expect(c['h0']! + c['h1']!).toBe(400);
  });

  it('LB_MAGLEV with a header hash_policy: the same key always reaches the same host', async () => {
    const seen = new Set<string>();
    for (let k = 0; k < 20; k++) {
      const first = await upstreamOf('/maglev', { 'x-user': `user-${k}` });
      seen.add(first);
      for (let i = 0; i < 5; i++) expect(await upstreamOf('/maglev', { 'x-user': `user-${k}` })).toBe(first);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
  });

  it('reuses upstream keep-alive connections: fewer connections than requests', async () => {
    const before = rec.connections;
    for (let i = 0; i < 20; i++) await upstreamOfRaw('/reuse');
    expect(rec.connections - before).toBe(1);
  });

  it('closes an idle upstream connection after the cluster idle_timeout', async () => {
    await upstreamOfRaw('/idle');
    const sock = rec.sockets.at(-1)!;
    expect(rec.received.at(-1)!.toString('latin1')).toContain('GET /idle');
    const t0 = performance.now();
    await rec.waitFor(() => sock.destroyed, 5_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
  });

  it('max_request_per_conn: a connection carries at most 2 requests', async () => {
    const before = rec.connections;
    for (let i = 0; i < 6; i++) await upstreamOfRaw('/perconn');
    expect(rec.connections - before).toBe(3);
  });

  async function upstreamOfRaw(path: string): Promise<void> {
    const r = await pool.request({ path, method: 'GET' });
    expect(r.statusCode).toBe(200);
    await r.body.text();
  }
});

describe('least-request and circuit breakers across 2 workers', () => {
  let busyHost: HoldingUpstream;
  let freeHost: HttpUpstream;
  let holdCb: HoldingUpstream;
  let holdConn: HoldingUpstream;
  let hold503: HoldingUpstream;
  let good: HttpUpstream;
  let one: HttpUpstream;
  let holdPend: HoldingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    one = await startHttpUpstream(echoHandler('one'));
    holdPend = await startHoldingUpstream('pend');
    busyHost = await startHoldingUpstream('busy');
    freeHost = await startHttpUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'x-upstream': 'free' });
      res.end('free');
    });
    holdCb = await startHoldingUpstream('cb');
    holdConn = await startHoldingUpstream('conn');
    hold503 = await startHoldingUpstream('503');
    good = await startHttpUpstream(echoHandler('good'));
    [port, metricsPort] = (await freePorts(2)) as [number, number];
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        metricsPort,
        clusters: [
          // P2C draws with replacement (MOSN); 32 draws make "both draws hit the busy host" negligible
          { name: 'lr', hosts: [busyHost.port, freeHost.port], lbType: 'LB_LEAST_REQUEST', extra: { lbconfig: { choice_count: 32 } } },
          { name: 'maxreq', hosts: [holdCb.port], extra: { circuit_breakers: [{ max_requests: 10 }] } },
          { name: 'maxconn', hosts: [holdConn.port], extra: { circuit_breakers: [{ max_connections: 2, max_pending_requests: 3 }] } },
          { name: 'one', hosts: [one.port], extra: { circuit_breakers: [{ max_connections: 1 }] } },
          { name: 'pend', hosts: [holdPend.port], extra: { circuit_breakers: [{ max_connections: 1, max_pending_requests: 1 }] } },
          { name: 'maxretry', hosts: [hold503.port, good.port], extra: { circuit_breakers: [{ max_retries: 1 }] } },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['*'],
            routers: [
              prefixRoute('/lr', 'lr'),
              prefixRoute('/maxreq', 'maxreq'),
              prefixRoute('/maxconn', 'maxconn'),
              prefixRoute('/one', 'one'),
              prefixRoute('/pend', 'pend'),
              prefixRoute('/maxretry', 'maxretry', { retry_policy: { retry_on: true, num_retries: 1, status_codes: [503] } }),
            ],
          },
        ],
      }),
      { workers: 2, acceptMode: 'handoff' },
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([busyHost, freeHost, holdCb, holdConn, hold503, good, one, holdPend].map((u) => u?.close()));
  });

  async function metric(name: string, labels: Record<string, string>): Promise<number> {
    return sampleValue(await scrape(metricsPort), name, labels);
  }

  it('LB_LEAST_REQUEST sends new requests to the host with fewer requests in flight, whichever worker picks', async () => {
    const pending: Array<Promise<RawResult>> = [];
    // until one request sits on the busy host (ties between two idle hosts are random)
    for (let i = 0; i < 50 && busyHost.held === 0; i++) {
      const p = oneShot(port, '/lr/probe');
      pending.push(p);
      await Promise.race([p, busyHost.waitHeld(1)]);
    }
    expect(busyHost.held).toBe(1);
    // the held connection keeps its worker busier, so handoff gives new connections to the other
    // worker: it must see the busy host's in-flight request through shared memory
    for (let i = 0; i < 30; i++) {
      const r = await oneShot(port, `/lr/${i}`);
      expect(r.responses[0]!.status).toBe(200);
      expect(r.responses[0]!.body.toString()).toBe('free');
    }
    expect(busyHost.received).toBe(1);
    busyHost.releaseAll();
    await Promise.all(pending);
  });

  it('max_requests 10 holds across workers: exactly 10 reach the upstream, the rest get 503 (UO)', async () => {
    const overflow0 = await metric('upstream_request_pending_overflow_total', { cluster: 'maxreq' });
    const all = Array.from({ length: 16 }, (_, i) => oneShot(port, `/maxreq/${i}`));
    await holdCb.waitHeld(10);
    // the 6 refused ones are answered without waiting for the held ones
    const settled: RawResult[] = [];
    for (const p of all) void p.then((r) => settled.push(r));
    for (let i = 0; i < 200 && settled.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
    expect(settled.map((r) => r.responses[0]!.status)).toEqual([503, 503, 503, 503, 503, 503]);
    expect(holdCb.received).toBe(10);
    expect((await metric('upstream_request_pending_overflow_total', { cluster: 'maxreq' })) - overflow0).toBe(6);
    holdCb.releaseAll();
    const results = await Promise.all(all);
    expect(results.filter((r) => r.responses[0]!.status === 200)).toHaveLength(10);
    expect(holdCb.received).toBe(10);
  });

  it('max_connections 2 + max_pending_requests 3 across workers: 2 in flight, 3 wait, the rest 503; waiters are served', async () => {
    const overflow0 = await metric('upstream_request_pending_overflow_total', { cluster: 'maxconn' });
    const all = Array.from({ length: 8 }, (_, i) => oneShot(port, `/maxconn/${i}`));
    await holdConn.waitHeld(2);
    const settled: RawResult[] = [];
    for (const p of all) void p.then((r) => settled.push(r));
    for (let i = 0; i < 200 && settled.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(settled.map((r) => r.responses[0]!.status)).toEqual([503, 503, 503]);
    expect((await metric('upstream_request_pending_overflow_total', { cluster: 'maxconn' })) - overflow0).toBe(3);
    expect(holdConn.connections).toBeLessThanOrEqual(2);
    // release in rounds: the 3 waiters get the freed connections, whichever worker they are on
    for (let round = 0; round < 5 && holdConn.received < 5; round++) {
      const next = Math.min(2, 5 - holdConn.received);
      holdConn.releaseAll();
      await holdConn.waitHeld(next);
    }
    holdConn.releaseAll();
    const results = await Promise.all(all);
    expect(results.filter((r) => r.responses[0]!.status === 200)).toHaveLength(5);
    expect(holdConn.received).toBe(5);
  });

  it('max_connections 1: a slot idle in one worker goes to a request waiting in the other', async () => {
    // client A keeps its connection (and so its worker) busy; its upstream connection idles there
    const a = await RawClient.connect(port);
    a.send('GET /one/a HTTP/1.1\r\nHost: lb\r\n\r\n');
    expect((await a.waitResponses(1))[0]!.status).toBe(200);
    // handoff gives B's connection to the other worker, which finds the only slot taken
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) {
      const b = await oneShot(port, `/one/b${i}`);
      expect(b.responses[0]!.status).toBe(200);
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(one.connections).toBeGreaterThanOrEqual(2);
    a.destroy();
  });

  it('a request that times out while waiting for a connection gives its pending place back', async () => {
    const pend = (id: string, timeoutMs: number): Promise<RawResult> =>
      rawExchange(port, `GET /pend/${id} HTTP/1.1\r\nHost: lb\r\nConnection: close\r\nx-mosn-global-timeout: ${timeoutMs}\r\n\r\n`, { waitClose: true, timeoutMs: 15_000 });
    const a = pend('a', 10_000);
    await holdPend.waitHeld(1);
    // the only connection is busy: b waits (the only pending place) and times out; so does c after it
    for (const id of ['b', 'c', 'd']) {
      const r = await pend(id, 200);
      expect(r.responses[0]!.status, id).toBe(504);
    }
    holdPend.releaseAll();
    expect((await a).responses[0]!.status).toBe(200);
    expect(holdPend.received).toBe(1);
  });

  it('max_retries 1: concurrent retries beyond the budget forward the upstream answer instead', async () => {
    const retry0 = await metric('upstream_request_retry_total', { cluster: 'maxretry' });
    const over0 = await metric('upstream_request_retry_overflow_total', { cluster: 'maxretry' });
    const all = Array.from({ length: 12 }, (_, i) => oneShot(port, `/maxretry/${i}`));
    let settled = 0;
    for (const p of all) void p.then(() => settled++);
    // the requests that went to the good host first are answered at once
    for (let i = 0; i < 300 && hold503.held + settled < 12; i++) await new Promise((r) => setTimeout(r, 10));
    const held = hold503.held;
    expect(held).toBeGreaterThanOrEqual(2);
    hold503.releaseAll(503);
    const results = await Promise.all(all);
    const retried = (await metric('upstream_request_retry_total', { cluster: 'maxretry' })) - retry0;
    const overflowed = (await metric('upstream_request_retry_overflow_total', { cluster: 'maxretry' })) - over0;
    expect(retried + overflowed).toBe(held);
    expect(overflowed).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.responses[0]!.status === 503)).toHaveLength(overflowed);
    expect(results.filter((r) => r.responses[0]!.status === 200)).toHaveLength(12 - overflowed);
  });
});

