// What the proxy answers when it cannot get a good response, with the metric and access-log
// response flag for each (NR, UH, UO, UF, UR, UT, UPE); bad upstream framing is never pooled;
// an upstream that dies mid-response gives the client a visibly truncated response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempLogPath, waitForLogLine } from '../../helpers/access-log-file.ts';
import { httpProxyConfig, LISTENER_NAME } from '../../helpers/http-config.ts';
import { RecordingUpstream, startHoldingUpstream, type HoldingUpstream } from '../../helpers/http-peers.ts';
import { RawClient, rawExchange } from '../../helpers/raw-http-client.ts';
import { freePorts } from '../../helpers/ports.ts';
import { sampleValue, scrape, type PromSample } from '../../helpers/prometheus.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { startStalledListener, type StalledListener } from '../../helpers/stalled-listener.ts';

const L = { listener: LISTENER_NAME };

/** Bad responses by path; "/ok" answers normally. */
const BAD_RESPONSES: Record<string, string> = {
  '/bad/cl-te': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  '/bad/two-cl': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
  '/bad/obs-fold': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Folded: a\r\n b\r\n\r\nok',
  '/bad/status': 'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok',
  '/bad/bare-lf': 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
  '/bad/chunk': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
  '/bad/te-gzip': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok',
};

describe('error mapping, flags and broken upstreams', () => {
  let bad: RecordingUpstream;
  let resetter: RecordingUpstream;
  let cutter: RecordingUpstream;
  let hang: RecordingUpstream;
  let held: HoldingUpstream;
  let stalled: StalledListener;
  let proxy: ProxyProcess;
  let port: number;
  let metricsPort: number;
  let closedPort: number;
  const logPath = tempLogPath();

  beforeAll(async () => {
    bad = await RecordingUpstream.start({
      onRequest: (req) => req.socket.write(BAD_RESPONSES[req.target] ?? (req.target === '/bad/extra' ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA' : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')),
    });
    resetter = await RecordingUpstream.start({ onRequest: (req) => req.socket.destroy() });
    cutter = await RecordingUpstream.start({
      onRequest: (req) => {
        const s = req.socket;
        if (req.target === '/cut/length') s.write(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'a'.repeat(50)}`);
        else s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
        // the rest never comes: the upstream dies once the proxy has forwarded what it got
        setImmediate(() => s.destroy());
      },
    });
    hang = await RecordingUpstream.start({ onRequest: () => undefined });
    held = await startHoldingUpstream('held');
    stalled = await startStalledListener();
    [port, metricsPort, closedPort] = (await freePorts(3)) as [number, number, number];
    const route = (prefix: string, cluster: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ match: { prefix }, route: { cluster_name: cluster, ...extra } });
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        metricsPort,
        clusters: [
          { name: 'empty', hosts: [] },
          { name: 'held', hosts: [held.port], extra: { circuit_breakers: [{ max_requests: 1 }] } },
          { name: 'refused', hosts: [closedPort] },
          { name: 'reset', hosts: [resetter.port] },
          { name: 'slow', hosts: [hang.port] },
          { name: 'bad', hosts: [bad.port] },
          { name: 'cut', hosts: [cutter.port] },
          { name: 'stalled', hosts: [stalled.port], extra: { connect_timeout: '150ms' } },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['errors.example'],
            routers: [
              route('/uh', 'empty'),
              route('/uo', 'held'),
              route('/uf', 'refused'),
              route('/ur', 'reset'),
              route('/ut', 'slow', { timeout: '200ms' }),
              route('/bad', 'bad'),
              route('/cut', 'cut'),
              route('/stalled', 'stalled'),
            ],
          },
        ],
        listenerExtra: { access_logs: [{ log_path: logPath, log_format: '%request_header_x-case% %response_code% %response_flag% %upstream_host%' }] },
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    stalled?.close();
    await Promise.all([bad, resetter, cutter, hang, held].map((u) => u?.close()));
  });

  async function request(path: string, kase: string, host = 'errors.example'): Promise<{ status: number; body: string; closed: boolean }> {
    const r = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Case: ${kase}\r\n\r\n`, { expectResponses: 1, waitClose: false });
    return { status: r.responses[0]!.status, body: r.responses[0]!.body.toString(), closed: r.closed };
  }

  async function logged(kase: string): Promise<string[]> {
    return (await waitForLogLine(logPath, (l) => l.startsWith(`${kase} `))).split(' ');
  }

  function delta(before: PromSample[], after: PromSample[], name: string, labels: Record<string, string>): number {
    return sampleValue(after, name, labels) - sampleValue(before, name, labels);
  }

  const CASES: Array<[kase: string, path: string, host: string | undefined, status: number, flag: string]> = [
    ['nr', '/nowhere', 'other.example', 404, 'NR'],
    ['uh', '/uh', undefined, 503, 'UH'],
    ['uf', '/uf', undefined, 502, 'UF'],
    ['ur', '/ur', undefined, 502, 'UR'],
    ['ut', '/ut', undefined, 504, 'UT'],
  ];
  for (const [kase, path, host, status, flag] of CASES) {
    it(`${flag}: ${path} -> ${status}, counted, flagged in the access log`, async () => {
      const before = await scrape(metricsPort);
      const r = await request(path, kase, host);
      expect(r.status).toBe(status);
      const line = await logged(kase);
      expect(line[1]).toBe(String(status));
      expect(line[2]).toBe(flag);
      const after = await scrape(metricsPort);
      expect(delta(before, after, status < 500 ? 'downstream_response_4xx_total' : 'downstream_response_5xx_total', L)).toBe(1);
      expect(delta(before, after, 'downstream_request_failed_total', L)).toBe(1);
      expect(delta(before, after, 'downstream_request_total', L)).toBe(1);
      if (flag === 'NR' || flag === 'UH') expect(line[3]).toBe('-');
      if (flag === 'UT') expect(delta(before, after, 'upstream_request_timeout_total', { cluster: 'slow', host: `127.0.0.1:${hang.port}` })).toBe(1);
      if (flag === 'UR') expect(delta(before, after, 'upstream_request_remote_reset_total', { cluster: 'reset', host: `127.0.0.1:${resetter.port}` })).toBe(1);
      if (flag === 'UF') expect(delta(before, after, 'upstream_connection_con_fail_total', { cluster: 'refused', host: `127.0.0.1:${closedPort}` })).toBe(3); // MOSN: 3 attempts
      if (flag === 'UH') expect(delta(before, after, 'upstream_connection_none_healthy_total', { cluster: 'empty' })).toBe(1);
    });
  }

  it('UF after connect timeouts: 3 attempts of connect_timeout each, then 502', async () => {
    const before = await scrape(metricsPort);
    const t0 = performance.now();
    const r = await request('/stalled', 'stalled');
    const elapsed = performance.now() - t0;
    expect(r.status).toBe(502);
    expect((await logged('stalled')).slice(1, 3)).toEqual(['502', 'UF']);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 150);
    expect(elapsed).toBeLessThan(5_000);
    const after = await scrape(metricsPort);
    expect(delta(before, after, 'upstream_connection_connect_timeout_total', { cluster: 'stalled', host: `127.0.0.1:${stalled.port}` })).toBe(3);
  });

  it('UO: over max_requests -> 503, counted, flagged', async () => {
    const first = rawExchange(port, 'GET /uo HTTP/1.1\r\nHost: errors.example\r\nX-Case: uo-held\r\n\r\n', { expectResponses: 1, waitClose: false });
    await held.waitHeld(1);
    const before = await scrape(metricsPort);
    const r = await request('/uo', 'uo');
    expect(r.status).toBe(503);
    const line = await logged('uo');
    expect(line.slice(1, 3)).toEqual(['503', 'UO']);
    const after = await scrape(metricsPort);
    expect(delta(before, after, 'upstream_request_pending_overflow_total', { cluster: 'held' })).toBe(1);
    held.releaseAll();
    expect((await first).responses[0]!.status).toBe(200);
  });

  for (const path of Object.keys(BAD_RESPONSES)) {
    it(`bad upstream framing ${path} -> 502 UPE; that connection is dropped and the next request uses a new one`, async () => {
      const kase = `upe-${path.slice(5)}`;
      const c = await RawClient.connect(port);
      c.send(`GET /bad/ok HTTP/1.1\r\nHost: errors.example\r\n\r\n`);
      await c.waitResponses(1);
      const conns = bad.connections;
      const pooled = bad.sockets.at(-1)!;
      c.send(`GET ${path} HTTP/1.1\r\nHost: errors.example\r\nX-Case: ${kase}\r\n\r\n`);
      const rs = await c.waitResponses(2);
      expect(rs[1]!.status).toBe(502);
      expect((await logged(kase)).slice(1, 3)).toEqual(['502', 'UPE']);
      // the client's connection is fine; the broken upstream connection is gone
      await bad.waitFor(() => pooled.destroyed);
      c.send(`GET /bad/ok HTTP/1.1\r\nHost: errors.example\r\n\r\n`);
      const after = await c.waitResponses(3);
      expect(after[2]!.status).toBe(200);
      expect(after[2]!.body.toString()).toBe('ok');
      expect(bad.connections).toBe(conns + 1);
      c.destroy();
    });
  }

  it('bytes after a complete upstream response: the answer stands, the connection is not reused', async () => {
    const c = await RawClient.connect(port);
    c.send('GET /bad/extra HTTP/1.1\r\nHost: errors.example\r\n\r\n');
    const [first] = await c.waitResponses(1);
    expect(first!.status).toBe(200);
    expect(first!.body.toString()).toBe('ok');
    const pooled = bad.sockets.at(-1)!;
    await bad.waitFor(() => pooled.destroyed);
    c.send('GET /bad/ok HTTP/1.1\r\nHost: errors.example\r\n\r\n');
    const rs = await c.waitResponses(2);
    expect(rs[1]!.status).toBe(200);
    c.destroy();
  });

  it('an upstream killed mid-body (Content-Length): truncated body, client connection closed, proxy up', async () => {
    const r = await rawExchange(port, 'GET /cut/length HTTP/1.1\r\nHost: errors.example\r\nX-Case: cut-length\r\n\r\n', { waitClose: true });
    expect(r.text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(r.text).toMatch(/\r\ncontent-length: 100\r\n/i);
    const body = r.data.subarray(r.data.indexOf('\r\n\r\n') + 4);
    expect(body.length).toBe(50);
    expect(r.closed).toBe(true);
    expect(r.responses).toHaveLength(0); // never a complete-looking response
    expect((await logged('cut-length'))[2]).toBe('UR');
    expect((await request('/bad/ok', 'alive')).status).toBe(200);
  });

  it('an upstream killed mid-body (chunked): no last chunk, client connection closed', async () => {
    const r = await rawExchange(port, 'GET /cut/chunked HTTP/1.1\r\nHost: errors.example\r\n\r\n', { waitClose: true });
    expect(r.text).toMatch(/\r\ntransfer-encoding: chunked\r\n/);
    expect(r.text).toContain('5\r\nhello\r\n');
    expect(r.text).not.toContain('0\r\n\r\n');
    expect(r.closed).toBe(true);
    expect(r.responses).toHaveLength(0);
    expect((await request('/bad/ok', 'alive2')).status).toBe(200);
  });
});
