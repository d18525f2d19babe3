// HTTP/1.1 framing through the real proxy: keep-alive, pipelining, chunked bodies and trailers
// both ways, Expect: 100-continue, bodiless responses, Connection: close, hop-by-hop headers and
// the headers the proxy adds (X-Forwarded-*, x-request-id, Via).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../helpers/curl.ts';
import { catchAll, httpProxyConfig } from '../../helpers/http-config.ts';
import { echoHandler, OK_RESPONSE, RecordingUpstream, startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { RawClient, rawExchange } from '../../helpers/raw-http-client.ts';
import { header } from '../../helpers/http-wire.ts';
import { freePort } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { patternBytes, sha256 } from '../../helpers/tcp-peers.ts';

describe('HTTP/1.1 codec through the proxy', () => {
  let echo: HttpUpstream;
  let special: HttpUpstream;
  let closer: HttpUpstream;
  let raw: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;

  beforeAll(async () => {
    echo = await startHttpUpstream(echoHandler('echo'));
    // answers shaped by the path: trailers, bodiless statuses, Connection: close, hop-by-hop
    special = await startHttpUpstream((req, res) => {
      req.resume();
      req.on('end', () => {
        switch (req.url) {
          case '/trailers':
            res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
            res.write('part one,');
            res.write('part two');
            res.addTrailers({ 'x-checksum': 'abc123' });
            res.end();
            return;
          case '/head':
            res.writeHead(200, { 'content-length': '11', 'x-kind': 'head' });
            res.end(req.method === 'HEAD' ? undefined : 'hello world');
            return;
          case '/204':
            res.writeHead(204, { 'x-kind': '204' });
            res.end();
            return;
          case '/304':
            res.writeHead(304, { etag: '"v1"' });
            res.end();
            return;
          case '/hop':
            res.writeHead(200, { 'keep-alive': 'timeout=5', connection: 'keep-alive, x-hop', 'x-hop': 'secret', 'x-end': 'kept', 'content-length': '2' });
            res.end('ok');
            return;
          default:
            res.writeHead(404);
            res.end();
        }
      });
    });
    closer = await startHttpUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { connection: 'close', 'content-length': '6' });
      res.end('closed');
    });
    raw = await RecordingUpstream.start({
      onRequest: (req) => {
        if (req.target !== '/raw/eof') return void req.socket.write(OK_RESPONSE);
        // no Content-Length, not chunked: the body ends with the connection
        req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end');
      },
    });
    port = await freePort();
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [
          { name: 'echo', hosts: [echo.port] },
          { name: 'special', hosts: [special.port] },
          { name: 'raw', hosts: [raw.port] },
          { name: 'closer', hosts: [closer.port] },
        ],
        virtualHosts: [
          {
            name: 'all',
            domains: ['*'],
            routers: [
              { match: { prefix: '/raw' }, route: { cluster_name: 'raw' } },
              { match: { prefix: '/closer/' }, route: { cluster_name: 'closer' } },
              { match: { prefix: '/s/' }, route: { cluster_name: 'special', prefix_rewrite: '/' } },
              { match: { prefix: '/' }, route: { cluster_name: 'echo' } },
            ],
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([echo?.close(), special?.close(), closer?.close(), raw?.close()]);
  });

  it('keeps a client connection alive across requests and reuses the upstream connection', async () => {
    const before = echo.connections;
    const c = await RawClient.connect(port);
    for (let i = 0; i < 3; i++) {
      c.send(`GET /ka/${i} HTTP/1.1\r\nHost: a\r\n\r\n`);
      const rs = await c.waitResponses(i + 1);
      expect(rs[i]!.status).toBe(200);
      expect(JSON.parse(rs[i]!.body.toString()).url).toBe(`/ka/${i}`);
    }
    expect(c.closed).toBe(false);
    c.destroy();
    expect(echo.connections - before).toBe(1);
  });

  it('answers 100 pipelined GETs in order on one connection, over one upstream connection', async () => {
    const before = echo.connections;
    const reqs = Array.from({ length: 100 }, (_, i) => `GET /pipe/${i} HTTP/1.1\r\nHost: a\r\n\r\n`).join('');
    const r = await rawExchange(port, reqs, { expectResponses: 100, waitClose: false });
    expect(r.responses).toHaveLength(100);
    r.responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString()).url).toBe(`/pipe/${i}`);
    });
    // the upstream connection is back in the pool before the next pipelined request starts
    expect(echo.connections - before).toBeLessThanOrEqual(1);
  });

  it('forwards a chunked request body as chunked, trailers included', async () => {
    raw.reset();
    const r = await rawExchange(
      port,
      'POST /raw/chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n',
      { expectResponses: 1, waitClose: false },
    );
    expect(r.responses[0]!.status).toBe(200);
    await raw.waitFor(() => raw.requests.length === 1);
    const got = raw.requests[0]!;
    expect(got.headers.get('transfer-encoding')).toEqual(['chunked']);
    expect(got.headers.has('content-length')).toBe(false);
    expect(got.body.toString()).toBe('hello world');
    expect(got.trailers).toBe('X-Sum: 42\r\n');
  });

  it('forwards a chunked response as chunked, trailers included', async () => {
    const r = await rawExchange(port, 'GET /s/trailers HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    const res = r.responses[0]!;
    expect(res.status).toBe(200);
    expect(header(res, 'transfer-encoding')).toBe('chunked');
    expect(res.body.toString()).toBe('part one,part two');
    expect(res.trailers).toBe('x-checksum: abc123\r\n');
  });

  it('sends a Content-Length body as Content-Length, byte for byte', async () => {
    raw.reset();
    const body = patternBytes(70_000, 3);
    const r = await rawExchange(port, [`PUT /raw/len HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`, body], { expectResponses: 1, waitClose: false });
    expect(r.responses[0]!.status).toBe(200);
    await raw.waitFor(() => raw.requests.length === 1);
    expect(raw.requests[0]!.headers.get('content-length')).toEqual([String(body.length)]);
    expect(sha256(raw.requests[0]!.body)).toBe(sha256(body));
  });

  describe('Expect: 100-continue', () => {
    it('answers 100 Continue itself once forwarding, then streams the body (raw client waits for it)', async () => {
      raw.reset();
      const c = await RawClient.connect(port);
      c.send('POST /raw/expect HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n');
      await c.until('100 Continue', () => c.text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
      expect(raw.requests).toHaveLength(0);
      c.send('0123456789');
      const rs = await c.waitResponses(2);
      expect(rs[0]!.status).toBe(100);
      expect(rs[1]!.status).toBe(200);
      await raw.waitFor(() => raw.requests.length === 1);
      expect(raw.requests[0]!.body.toString()).toBe('0123456789');
      // Expect is hop-by-hop: the proxy already answered it
      expect(raw.requests[0]!.headers.has('expect')).toBe(false);
      c.destroy();
    });

    it('curl with a 2 MiB body gets 100 Continue from the proxy and the upload arrives intact', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mosn-ts-expect-'));
      const file = join(dir, 'body.bin');
      const body = patternBytes(2 << 20, 11);
      writeFileSync(file, body);
      const r = await curl(['-v', '-H', 'Expect: 100-continue', '--data-binary', `@${file}`, `http://127.0.0.1:${port}/expect-curl`]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/< HTTP\/1\.1 100 Continue/);
      const echoed = JSON.parse(r.stdout.toString());
      expect(echoed.method).toBe('POST');
      expect(sha256(Buffer.from(echoed.body, 'latin1'))).toBe(sha256(body));
      expect(echoed.headers.expect).toBeUndefined();
    });

    it('sends no 100 Continue for a local reply, and closes after it (the body was never sent)', async () => {
      const noRoutePort = await freePort();
      const p = await ProxyProcess.start(
        httpProxyConfig({ listenPort: noRoutePort, clusters: [{ name: 'echo', hosts: [echo.port] }], virtualHosts: [{ name: 'only-b', domains: ['b'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'echo' } }] }] }),
      );
      try {
        const r = await rawExchange(noRoutePort, 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n', { waitClose: true });
        expect(r.text.startsWith('HTTP/1.1 404 ')).toBe(true);
        expect(r.text).not.toContain('100 Continue');
        expect(header(r.responses[0]!, 'connection')).toBe('close');
        expect(r.closed).toBe(true);
      } finally {
        await p.stop();
      }
    });
  });

  it('HEAD, 204 and 304 carry no body and the connection stays usable', async () => {
    const c = await RawClient.connect(port);
    c.methods = ['HEAD', 'GET', 'GET', 'GET'];
    c.send('HEAD /s/head HTTP/1.1\r\nHost: a\r\n\r\n');
    c.send('GET /s/204 HTTP/1.1\r\nHost: a\r\n\r\n');
    c.send('GET /s/304 HTTP/1.1\r\nHost: a\r\n\r\n');
    c.send('GET /s/head HTTP/1.1\r\nHost: a\r\n\r\n');
    const rs = await c.waitResponses(4);
    expect(rs.map((r) => r.status)).toEqual([200, 204, 304, 200]);
    expect(header(rs[0]!, 'content-length')).toBe('11');
    expect(rs[0]!.body.length).toBe(0);
    expect(header(rs[1]!, 'transfer-encoding')).toBeUndefined();
    expect(header(rs[1]!, 'content-length')).toBeUndefined();
    expect(header(rs[2]!, 'etag')).toBe('"v1"');
    expect(rs[3]!.body.toString()).toBe('hello world');
    // nothing beyond the four responses
    expect(c.data.length).toBe(rs.reduce((n, r) => n + Buffer.byteLength(r.head, 'latin1') + r.body.length, 0));
    c.destroy();
  });

  it('a close-delimited upstream body becomes chunked for HTTP/1.1 clients and stays close-delimited for HTTP/1.0', async () => {
    const r11 = await rawExchange(port, 'GET /raw/eof HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    expect(header(r11.responses[0]!, 'transfer-encoding')).toBe('chunked');
    expect(r11.responses[0]!.body.toString()).toBe('until the end');
    const r10 = await rawExchange(port, 'GET /raw/eof HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n', { waitClose: true });
    expect(r10.responses[0]!.closeDelimited).toBe(true);
    expect(r10.responses[0]!.body.toString()).toBe('until the end');
    expect(header(r10.responses[0]!, 'connection')).toBe('close');
  });

  it('closes after answering a request with Connection: close', async () => {
    const r = await rawExchange(port, 'GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', { waitClose: true });
    expect(r.responses).toHaveLength(1);
    expect(header(r.responses[0]!, 'connection')).toBe('close');
    expect(r.closed).toBe(true);
  });

  it('an HTTP/1.0 request without keep-alive is answered and closed', async () => {
    const r = await rawExchange(port, 'GET /ten HTTP/1.0\r\nHost: a\r\n\r\n', { waitClose: true });
    expect(r.responses[0]!.status).toBe(200);
    expect(r.closed).toBe(true);
  });

  it("an upstream's Connection: close ends that upstream connection, not the client's", async () => {
    const c = await RawClient.connect(port);
    c.send('GET /closer/1 HTTP/1.1\r\nHost: a\r\n\r\n');
    await c.waitResponses(1);
    c.send('GET /closer/2 HTTP/1.1\r\nHost: a\r\n\r\n');
    const rs = await c.waitResponses(2);
    expect(rs.map((r) => r.body.toString())).toEqual(['closed', 'closed']);
    expect(header(rs[0]!, 'connection')).toBeUndefined();
    expect(c.closed).toBe(false);
    c.destroy();
    expect(closer.connections).toBe(2);
  });

  it('removes hop-by-hop request headers, including those named in Connection', async () => {
    raw.reset();
    const r = await rawExchange(
      port,
      'GET /raw/hop HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Drop-Me\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nX-Drop-Me: 1\r\nX-Keep: 2\r\n\r\n',
      { expectResponses: 1, waitClose: false },
    );
    expect(r.responses[0]!.status).toBe(200);
    await raw.waitFor(() => raw.requests.length === 1);
    const h = raw.requests[0]!.headers;
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'te', 'x-drop-me', 'transfer-encoding']) expect(h.has(name), name).toBe(false);
    expect(h.get('x-keep')).toEqual(['2']);
    expect(h.get('host')).toEqual(['a']);
  });

  it('removes hop-by-hop response headers', async () => {
    const r = await rawExchange(port, 'GET /s/hop HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    const res = r.responses[0]!;
    expect(res.headers.has('keep-alive')).toBe(false);
    expect(res.headers.has('x-hop')).toBe(false);
    expect(header(res, 'x-end')).toBe('kept');
    expect(header(res, 'connection')).toBeUndefined();
  });

  it('appends X-Forwarded-For, sets X-Forwarded-Proto, generates x-request-id only when absent', async () => {
    raw.reset();
    await rawExchange(port, 'GET /raw/xff1 HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    await rawExchange(port, 'GET /raw/xff2 HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\nX-Request-Id: my-id-1\r\n\r\n', {
      expectResponses: 1,
      waitClose: false,
    });
    await raw.waitFor(() => raw.requests.length === 2);
    const [a, b] = raw.requests;
    expect(a!.headers.get('x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(a!.headers.get('x-forwarded-proto')).toEqual(['http']);
    expect(a!.headers.get('x-request-id')?.[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(b!.headers.get('x-forwarded-for')).toEqual(['10.0.0.1, 127.0.0.1']);
    expect(b!.headers.get('x-forwarded-proto')).toEqual(['https']);
    expect(b!.headers.get('x-request-id')).toEqual(['my-id-1']);
    // no Via by default
    expect(a!.headers.has('via')).toBe(false);
  });

  it('adds Via when extend_config.Http1.via is set', async () => {
    const viaPort = await freePort();
    const p = await ProxyProcess.start(httpProxyConfig({ listenPort: viaPort, clusters: [{ name: 'raw', hosts: [raw.port] }], virtualHosts: catchAll('raw'), http1: { via: 'mosn-ts' } }));
    try {
      raw.reset();
      await rawExchange(viaPort, 'GET /via HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
      await rawExchange(viaPort, 'GET /via10 HTTP/1.0\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: true });
      await raw.waitFor(() => raw.requests.length === 2);
      expect(raw.requests[0]!.headers.get('via')).toEqual(['1.1 mosn-ts']);
      expect(raw.requests[1]!.headers.get('via')).toEqual(['1.0 mosn-ts']);
      // always HTTP/1.1 upstream
      expect(raw.requests[1]!.head.startsWith('GET /via10 HTTP/1.1\r\n')).toBe(true);
    } finally {
      await p.stop();
    }
  });
});
