// retry_policy end to end: listed statuses, resets and per-try timeouts are retried on another
// host; a POST whose body went out is never re-sent; an idempotent request is (body replayed);
// connect failures are retried even without a policy (MOSN); when retries run out the last
// upstream answer is the reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { httpProxyConfig } from '../../helpers/http-config.ts';
import { echoHandler, RecordingUpstream, startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

const BUSY = 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nbusy';

describe('retry_policy', () => {
  let good: HttpUpstream;
  let busy: RecordingUpstream;
  let busy2: RecordingUpstream;
  let resetter: RecordingUpstream;
  let hang: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let metricsPort: number;
  let closedPort: number;
  let pool: Pool;
  const policy = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ retry_on: true, num_retries: 1, ...extra });

  beforeAll(async () => {
    good = await startHttpUpstream(echoHandler('good'));
    busy = await RecordingUpstream.start({ onRequest: (req) => req.socket.write(BUSY) });
    busy2 = await RecordingUpstream.start({ onRequest: (req) => req.socket.write(BUSY) });
    resetter = await RecordingUpstream.start({ onRequest: (req) => req.socket.destroy() });
    hang = await RecordingUpstream.start({ onRequest: () => undefined });
    [port, metricsPort, closedPort] = (await freePorts(3)) as [number, number, number];
    const route = (prefix: string, cluster: string, retry?: Record<string, unknown>): Record<string, unknown> => ({
      match: { prefix },
      route: { cluster_name: cluster, ...(retry ? { retry_policy: retry } : {}) },
    });
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        metricsPort,
        clusters: [
          { name: 'status', hosts: [busy.port, good.port] },
          { name: 'allbusy', hosts: [busy.port, busy2.port] },
          { name: 'reset', hosts: [resetter.port, good.port] },
          { name: 'pertry', hosts: [hang.port, good.port] },
          { name: 'refused', hosts: [closedPort, good.port] },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['*'],
            routers: [
              route('/status', 'status', policy({ status_codes: [503] })),
              route('/nostatus', 'status', policy({ status_codes: [500] })),
              route('/allbusy', 'allbusy', policy()),
              route('/reset', 'reset', policy({ num_retries: 2 })),
              route('/pertry', 'pertry', policy({ retry_timeout: '200ms' })),
              route('/refused', 'refused'),
            ],
          },
        ],
      }),
    );
    pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4 });
  });

  afterAll(async () => {
    await pool?.close();
    await proxy?.stop();
    await Promise.all([good?.close(), busy?.close(), busy2?.close(), resetter?.close(), hang?.close()]);
  });

  async function send(path: string, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
    const r = await pool.request({ path, method, ...(body !== undefined ? { body } : {}) });
    return { status: r.statusCode, text: await r.body.text() };
  }

  async function retries(cluster: string): Promise<number> {
    return sampleValue(await scrape(metricsPort), 'upstream_request_retry_total', { cluster });
  }

  it('a listed status (503) is retried on the other host; every request succeeds', async () => {
    busy.reset();
    const r0 = await retries('status');
    const goodBefore = good.requests;
    for (let i = 0; i < 10; i++) {
      const r = await send(`/status/${i}`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).upstream).toBe('good');
    }
    expect(good.requests - goodBefore).toBe(10);
    expect(busy.requests.length).toBeGreaterThanOrEqual(1);
    expect((await retries('status')) - r0).toBe(busy.requests.length);
  });

  it('a status not in status_codes is the answer, not retried', async () => {
    busy.reset();
    const r0 = await retries('status');
    const statuses = new Set<number>();
    for (let i = 0; i < 6; i++) statuses.add((await send('/nostatus')).status);
    expect(busy.requests.length).toBeGreaterThanOrEqual(1);
    expect(statuses).toEqual(new Set([200, 503]));
    expect((await retries('status')) - r0).toBe(0);
  });

  it("when retries run out, the last upstream's own answer is the reply", async () => {
    busy.reset();
    busy2.reset();
    const r0 = await retries('allbusy');
    const r = await send('/allbusy');
    expect(r.status).toBe(503);
    expect(r.text).toBe('busy');
    expect(busy.requests.length + busy2.requests.length).toBe(2);
    expect((await retries('allbusy')) - r0).toBe(1);
  });

  it('an idempotent GET reset by its upstream is retried on the other host', async () => {
    resetter.reset();
    for (let i = 0; i < 6; i++) expect((await send('/reset/get')).status).toBe(200);
    expect(resetter.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('an idempotent PUT with a body is retried with the body replayed', async () => {
    resetter.reset();
    for (let i = 0; i < 6; i++) {
      const r = await send('/reset/put', 'PUT', `payload-${i}`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).body).toBe(`payload-${i}`);
    }
    expect(resetter.requests.length).toBeGreaterThanOrEqual(1);
    expect(resetter.requests[0]!.body.toString()).toMatch(/^payload-\d$/);
  });

  it('a POST whose body was streamed upstream is not retried after a reset', async () => {
    resetter.reset();
    const r0 = await retries('reset');
    const goodBefore = good.requests;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send('/reset/post', 'POST', 'not-twice')).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThanOrEqual(1);
    // each POST reached exactly one upstream: the resetter (-> 502) or the good one (-> 200)
    expect(failed).toBe(resetter.requests.length);
    expect(good.requests - goodBefore).toBe(6 - failed);
    expect((await retries('reset')) - r0).toBe(0);
  });

  it('a per-try timeout (retry_timeout) moves the request to the other host', async () => {
    hang.reset();
    const before = sampleValue(await scrape(metricsPort), 'upstream_request_timeout_total', { cluster: 'pertry', host: `127.0.0.1:${hang.port}` });
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      const r = await send('/pertry');
      expect(r.status).toBe(200);
      const tried = hang.requests.length;
      if (tried > 0 && i === 0) expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    }
    expect(hang.requests.length).toBeGreaterThanOrEqual(1);
    const after = sampleValue(await scrape(metricsPort), 'upstream_request_timeout_total', { cluster: 'pertry', host: `127.0.0.1:${hang.port}` });
    expect(after - before).toBe(hang.requests.length);
  });

  it('a connect failure is retried on another host even without retry_policy (MOSN)', async () => {
    for (let i = 0; i < 10; i++) expect((await send('/refused')).status).toBe(200);
  });
});
