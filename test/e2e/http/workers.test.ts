// Two workers in each accept mode serve HTTP correctly: a burst of concurrent requests over
// many connections, each answer checked against its own request.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { catchAll, httpProxyConfig } from '../../helpers/http-config.ts';
import { echoHandler, startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

for (const acceptMode of ['handoff', 'reuseport'] as const) {
  describe(`2 workers, accept mode ${acceptMode}`, () => {
    let up: HttpUpstream;
    let proxy: ProxyProcess;
    let port: number;
    let metricsPort: number;

    beforeAll(async () => {
      up = await startHttpUpstream(echoHandler('w'));
      [port, metricsPort] = (await freePorts(2)) as [number, number];
      proxy = await ProxyProcess.start(
        httpProxyConfig({ listenPort: port, metricsPort, clusters: [{ name: 'w', hosts: [up.port] }], virtualHosts: catchAll('w') }),
        { workers: 2, acceptMode },
      );
    });

    afterAll(async () => {
      await proxy?.stop();
      await up?.close();
    });

    it('answers 600 concurrent requests over 40 connections, each with its own body', async () => {
      const before = sampleValue(await scrape(metricsPort), 'downstream_request_total', { proxy: 'global' });
      const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 40, pipelining: 1 });
      try {
        const t0 = Date.now();
        for (let batch = 0; batch < 6 && Date.now() - t0 < 30_000; batch++) {
          await Promise.all(
            Array.from({ length: 100 }, async (_, i) => {
              const id = `${batch}-${i}`;
              const body = createHash('sha256').update(id).digest('hex').repeat(1 + (i % 7));
              const r = await pool.request({ path: `/w/${id}?q=${i}`, method: i % 2 ? 'POST' : 'PUT', body, headers: { 'x-id': id } });
              expect(r.statusCode).toBe(200);
              const e = JSON.parse(await r.body.text());
              expect(e.url).toBe(`/w/${id}?q=${i}`);
              expect(e.headers['x-id']).toBe(id);
              expect(e.body).toBe(body);
            }),
          );
        }
      } finally {
        await pool.close();
      }
      const after = await scrape(metricsPort);
      expect(sampleValue(after, 'downstream_request_total', { proxy: 'global' }) - before).toBe(600);
      expect(sampleValue(after, 'mosn_ts_workers')).toBe(2);
    });
  });
}
