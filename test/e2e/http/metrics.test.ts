// HTTP metrics as exact deltas for the traffic sent: request and response counters, the active
// gauge back to 0, request duration histograms downstream and per upstream host, timeouts and
// retries — per listener, per host, and summed (proxy="global", per cluster).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { httpProxyConfig, LISTENER_NAME } from '../../helpers/http-config.ts';
import { echoHandler, RecordingUpstream, startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape, type PromSample } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { waitFor } from '../../helpers/wait.ts';

const L = { listener: LISTENER_NAME };
const G = { proxy: 'global' };

describe('HTTP metrics, exact deltas', () => {
  let ok: HttpUpstream;
  let busy: RecordingUpstream;
  let hang: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let metricsPort: number;
  let pool: Pool;
  let okHost: Record<string, string>;

  beforeAll(async () => {
    ok = await startHttpUpstream(echoHandler('ok'));
    busy = await RecordingUpstream.start({ onRequest: (req) => req.socket.write('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n') });
    hang = await RecordingUpstream.start({ onRequest: () => undefined });
    [port, metricsPort] = (await freePorts(2)) as [number, number];
    okHost = { cluster: 'ok', host: `127.0.0.1:${ok.port}` };
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        metricsPort,
        clusters: [
          { name: 'ok', hosts: [ok.port] },
          { name: 'retry', hosts: [busy.port, ok.port] },
          { name: 'slow', hosts: [hang.port] },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['metrics.example'],
            routers: [
              { match: { prefix: '/ok' }, route: { cluster_name: 'ok' } },
              { match: { prefix: '/retry' }, route: { cluster_name: 'retry', retry_policy: { retry_on: true, num_retries: 1 } } },
              { match: { prefix: '/slow' }, route: { cluster_name: 'slow', timeout: '100ms' } },
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
    await Promise.all([ok?.close(), busy?.close(), hang?.close()]);
  });

  async function send(path: string, host = 'metrics.example'): Promise<number> {
    const r = await pool.request({ path, method: 'GET', headers: { host } });
    await r.body.text();
    return r.statusCode;
  }

  /** A scrape after every request has finished (the active gauge is back to 0). */
  async function settled(): Promise<PromSample[]> {
    return waitFor('downstream_request_active back to 0', async () => {
      const s = await scrape(metricsPort);
      return sampleValue(s, 'downstream_request_active', L) === 0 ? s : undefined;
    });
  }

  it('counts requests, responses by class, durations and upstream requests exactly', async () => {
    const before = await settled();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await send(`/ok/${i}`));
    for (let i = 0; i < 3; i++) statuses.push(await send('/none', 'nowhere.example'));
    statuses.push(await send('/slow'));
    expect(statuses).toEqual([...Array(10).fill(200), 404, 404, 404, 504]);
    const after = await settled();
    const d = (name: string, labels: Record<string, string>): number => sampleValue(after, name, labels) - sampleValue(before, name, labels);

    expect(d('downstream_request_total', L)).toBe(14);
    expect(d('downstream_request_total', G)).toBe(14);
    expect(d('downstream_response_2xx_total', L)).toBe(10);
    expect(d('downstream_response_4xx_total', L)).toBe(3);
    expect(d('downstream_response_5xx_total', L)).toBe(1);
    expect(d('downstream_request_failed_total', L)).toBe(4);
    expect(sampleValue(after, 'downstream_request_active', L)).toBe(0);
    expect(d('downstream_request_duration_seconds_count', L)).toBe(14);
    // the 504 waited for its 100 ms timeout: at least 0.1 s in the sum, and in a bucket above 0.05
    expect(d('downstream_request_duration_seconds_sum', L)).toBeGreaterThanOrEqual(0.1);
    expect(d('downstream_request_duration_seconds_bucket', { ...L, le: '0.05' })).toBe(13);
    expect(d('downstream_request_duration_seconds_bucket', { ...L, le: '+Inf' })).toBe(14);

    expect(d('upstream_request_total', okHost)).toBe(10);
    expect(d('upstream_request_total', { cluster: 'ok' })).toBe(10);
    expect(d('upstream_request_duration_seconds_count', okHost)).toBe(10);
    expect(d('upstream_response_success_total', okHost)).toBe(10);
    expect(sampleValue(after, 'upstream_request_active', okHost)).toBe(0);
    const slowHost = { cluster: 'slow', host: `127.0.0.1:${hang.port}` };
    expect(d('upstream_request_total', slowHost)).toBe(1);
    expect(d('upstream_request_timeout_total', slowHost)).toBe(1);
    expect(d('upstream_request_timeout_total', { cluster: 'slow' })).toBe(1);
    // the timed-out attempt never completed: no duration sample for it
    expect(d('upstream_request_duration_seconds_count', slowHost)).toBe(0);
    expect(d('downstream_bytes_read_total', L)).toBeGreaterThan(0);
  });

  it('counts a retry once and both attempts per host', async () => {
    busy.reset();
    const before = await settled();
    let retried = 0;
    for (let i = 0; i < 4; i++) {
      const seenBefore = busy.requests.length;
      expect(await send('/retry')).toBe(200);
      retried += busy.requests.length - seenBefore;
    }
    const after = await settled();
    const d = (name: string, labels: Record<string, string>): number => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(retried).toBeGreaterThanOrEqual(1);
    expect(d('upstream_request_retry_total', { cluster: 'retry' })).toBe(retried);
    expect(d('upstream_request_total', { cluster: 'retry', host: `127.0.0.1:${busy.port}` })).toBe(retried);
    expect(d('upstream_request_total', { cluster: 'retry', host: `127.0.0.1:${ok.port}` })).toBe(4);
    expect(d('upstream_response_failed_total', { cluster: 'retry', host: `127.0.0.1:${busy.port}` })).toBe(retried);
    expect(d('downstream_request_total', L)).toBe(4);
    expect(d('downstream_response_2xx_total', L)).toBe(4);
  });
});
