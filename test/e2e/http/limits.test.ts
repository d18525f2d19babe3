// Request size limits and slow or idle clients: 414, 431 (bytes and count), 413, 408 for a
// slowloris head, and idle keep-alive connections closed by extend_config.Http1.idle_timeout or
// the listener's connection_idle_timeout. Nothing of a rejected request reaches the upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchAll, httpProxyConfig, LISTENER_NAME } from '../../helpers/http-config.ts';
import { RecordingUpstream } from '../../helpers/http-peers.ts';
import { RawClient, rawExchange } from '../../helpers/raw-http-client.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

const L = { listener: LISTENER_NAME };

function headers(n: number, valueBytes: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `X-H${i}: ${'v'.repeat(valueBytes)}\r\n`;
  return out;
}

describe('request limits and timeouts (defaults + extend_config.Http1)', () => {
  let up: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    up = await RecordingUpstream.start();
    [port, metricsPort] = (await freePorts(2)) as [number, number];
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        metricsPort,
        clusters: [{ name: 'rec', hosts: [up.port] }],
        virtualHosts: catchAll('rec'),
        http1: { request_headers_timeout: '1s', idle_timeout: '400ms', max_request_body_size: 1000 },
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await up?.close();
  });

  async function rejected(bytes: string, status: number): Promise<void> {
    up.reset();
    const r = await rawExchange(port, bytes, { waitClose: true });
    expect(r.text.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(r.closed).toBe(true);
    expect(up.bytes).toBe(0);
  }

  it('a request line over 16 KiB gets 414', async () => {
    await rejected(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414);
  });

  it('a request line over 16 KiB gets 414 before its end arrives', async () => {
    await rejected(`GET /${'a'.repeat(20_000)}`, 414);
  });

  it('a request line just under the limit is served', async () => {
    const r = await rawExchange(port, `GET /${'a'.repeat(16_000)} HTTP/1.1\r\nHost: a\r\n\r\n`, { expectResponses: 1, waitClose: false });
    expect(r.responses[0]!.status).toBe(200);
  });

  it('a head over 64 KiB gets 431', async () => {
    await rejected(`GET / HTTP/1.1\r\nHost: a\r\n${headers(70, 1000)}\r\n`, 431);
  });

  it('more than 100 headers get 431; 99 pass', async () => {
    await rejected(`GET / HTTP/1.1\r\nHost: a\r\n${headers(100, 4)}\r\n`, 431);
    const ok = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${headers(99, 4)}\r\n`, { expectResponses: 1, waitClose: false });
    expect(ok.responses[0]!.status).toBe(200);
  });

  it('a Content-Length over max_request_body_size gets 413 before anything is forwarded', async () => {
    // with a pooled upstream connection ready, a head could leave at once: it must not
    up.reset();
    await rawExchange(port, 'GET /warm HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    await up.waitFor(() => up.requests.length === 1);
    await rejected(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n${'x'.repeat(1001)}`, 413);
  });

  it('a chunked body growing over max_request_body_size gets 413', async () => {
    const r = await rawExchange(port, `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n${'x'.repeat(1000)}\r\n1\r\ny\r\n0\r\n\r\n`, { waitClose: true });
    expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 413 Content Too Large');
    expect(r.closed).toBe(true);
  });

  it('a slowloris head (one byte every 100 ms) gets 408 after request_headers_timeout (1s)', async () => {
    up.reset();
    const before = sampleValue(await scrape(metricsPort), 'downstream_request_header_timeout_total', L);
    const c = await RawClient.connect(port);
    const bytes = Buffer.from(`GET /slow HTTP/1.1\r\nHost: a\r\nX-Slow: ${'z'.repeat(100)}\r\n\r\n`, 'latin1');
    const t0 = performance.now();
    let sent = 0;
    // the client's pace, not a wait: at most 60 bytes, stopping as soon as the proxy answers
    const pacer = setInterval(() => {
      if (c.closed || c.data.length > 0 || sent >= 60) return clearInterval(pacer);
      c.socket.write(bytes.subarray(sent, sent + 1));
      sent++;
    }, 100);
    try {
      await c.waitClosed(5_000);
    } finally {
      clearInterval(pacer);
    }
    const elapsed = performance.now() - t0;
    expect(c.text.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
    expect(up.bytes).toBe(0);
    const after = sampleValue(await scrape(metricsPort), 'downstream_request_header_timeout_total', L);
    expect(after - before).toBe(1);
  });

  it('an idle keep-alive connection is closed after idle_timeout (400ms), not before', async () => {
    const before = sampleValue(await scrape(metricsPort), 'downstream_connection_idle_timeout_total', L);
    const c = await RawClient.connect(port);
    c.send('GET /idle HTTP/1.1\r\nHost: a\r\n\r\n');
    await c.waitResponses(1);
    const t0 = performance.now();
    await c.waitClosed(5_000);
    const idle = performance.now() - t0;
    expect(idle).toBeGreaterThanOrEqual(350);
    expect(idle).toBeLessThan(3_000);
    expect(c.responses()).toHaveLength(1);
    const after = sampleValue(await scrape(metricsPort), 'downstream_connection_idle_timeout_total', L);
    expect(after - before).toBe(1);
  });

  it('a connection that never sends anything is closed after idle_timeout too', async () => {
    const c = await RawClient.connect(port);
    const t0 = performance.now();
    await c.waitClosed(5_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(350);
    expect(c.data.length).toBe(0);
  });
});

describe('listener connection_idle_timeout and configured header limits', () => {
  let up: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;

  beforeAll(async () => {
    up = await RecordingUpstream.start();
    [port] = (await freePorts(1)) as [number];
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [{ name: 'rec', hosts: [up.port] }],
        virtualHosts: catchAll('rec'),
        http1: { max_header_count: 10, max_header_size: 2048, max_request_line_size: 512 },
        listenerExtra: { connection_idle_timeout: '300ms' },
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await up?.close();
  });

  it('closes an idle keep-alive connection after the listener connection_idle_timeout', async () => {
    const c = await RawClient.connect(port);
    c.send('GET /idle HTTP/1.1\r\nHost: a\r\n\r\n');
    await c.waitResponses(1);
    const t0 = performance.now();
    await c.waitClosed(5_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('max_header_count, max_header_size and max_request_line_size apply', async () => {
    for (const [bytes, status] of [
      [`GET / HTTP/1.1\r\nHost: a\r\n${headers(10, 4)}\r\n`, 431],
      [`GET / HTTP/1.1\r\nHost: a\r\n${headers(3, 800)}\r\n`, 431],
      [`GET /${'p'.repeat(600)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414],
    ] as const) {
      const r = await rawExchange(port, bytes, { waitClose: true });
      expect(r.text.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    }
    const ok = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${headers(9, 4)}\r\n`, { expectResponses: 1, waitClose: false });
    expect(ok.responses[0]!.status).toBe(200);
    expect(up.requests.every((q) => q.headers.size <= 16)).toBe(true);
  });
});
