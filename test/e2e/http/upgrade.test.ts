// Upgrade and CONNECT: a WebSocket (the `ws` package on both ends) echoes through the proxy,
// a CONNECT becomes a byte tunnel to a host of the route's cluster after 200, an idle tunnel is
// closed by the idle timeout, and a declined Upgrade stays plain HTTP.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { httpProxyConfig } from '../../helpers/http-config.ts';
import { RecordingUpstream } from '../../helpers/http-peers.ts';
import { RawClient } from '../../helpers/raw-http-client.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { patternBytes, sha256, startEchoServer, type EchoServer } from '../../helpers/tcp-peers.ts';

describe('Upgrade (WebSocket) and CONNECT tunnels', () => {
  let wsHttp: http.Server;
  let wss: WebSocketServer;
  let tcpEcho: EchoServer;
  let plain: RecordingUpstream;
  let eager: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  let closedPort: number;
  const upgradeHeaders: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    wsHttp = http.createServer((_req, res) => res.end('not a websocket'));
    wss = new WebSocketServer({ server: wsHttp });
    wsHttp.on('upgrade', (req: http.IncomingMessage) => upgradeHeaders.push(req.headers));
    wss.on('connection', (sock, req) => {
      sock.send(`welcome ${req.url}`);
      sock.on('message', (data, isBinary) => sock.send(data, { binary: isBinary }));
    });
    await new Promise<void>((r) => wsHttp.listen(0, '127.0.0.1', () => r()));
    tcpEcho = await startEchoServer();
    plain = await RecordingUpstream.start();
    // answers the upgrade and greets in one write, then echoes raw bytes
    eager = await RecordingUpstream.start({
      onRequest: (req) => {
        req.socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x-echo\r\n\r\nHELLO;');
        req.socket.removeAllListeners('data');
        req.socket.on('data', (d: Buffer) => req.socket.write(d));
      },
    });
    [port, closedPort] = (await freePorts(2)) as [number, number];
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [
          { name: 'ws', hosts: [(wsHttp.address() as AddressInfo).port] },
          { name: 'tcp', hosts: [tcpEcho.port] },
          { name: 'plain', hosts: [plain.port] },
          { name: 'eager', hosts: [eager.port] },
          { name: 'closed', hosts: [closedPort] },
        ],
        virtualHosts: [
          { name: 'tunnel', domains: ['tunnel.example:443'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'tcp' } }] },
          { name: 'dead', domains: ['dead.example:443'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'closed' } }] },
          { name: 'eager', domains: ['eager.example'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'eager' } }] },
          {
            name: 'all',
            domains: ['*'],
            routers: [
              { match: { prefix: '/ws' }, route: { cluster_name: 'ws' } },
              { match: { prefix: '/' }, route: { cluster_name: 'plain' } },
            ],
          },
        ],
        http1: { idle_timeout: '500ms' },
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    wss?.close();
    wsHttp?.closeAllConnections();
    await new Promise<void>((r) => (wsHttp ? wsHttp.close(() => r()) : r()));
    await tcpEcho?.close();
    await plain?.close();
    await eager?.close();
  });

  async function openWs(path: string): Promise<{ ws: WebSocket; messages: Array<{ data: Buffer; binary: boolean }>; next: (n: number) => Promise<void> }> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const messages: Array<{ data: Buffer; binary: boolean }> = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (data, binary) => {
      messages.push({ data: Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), binary });
      for (const w of [...waiters]) w();
    });
    const next = (n: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (messages.length < n) return;
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} WebSocket messages`)), 10_000);
        waiters.push(check);
        check();
      });
    await once(ws, 'open');
    return { ws, messages, next };
  }

  it('a WebSocket echoes text and a 1 MiB binary message both ways', async () => {
    const { ws, messages, next } = await openWs('/ws/chat?room=1');
    await next(1);
    expect(messages[0]!.data.toString()).toBe('welcome /ws/chat?room=1');
    ws.send('hello through the proxy');
    await next(2);
    expect(messages[1]!.data.toString()).toBe('hello through the proxy');
    const big = patternBytes(1 << 20, 5);
    ws.send(big);
    await next(3);
    expect(messages[2]!.binary).toBe(true);
    expect(sha256(messages[2]!.data)).toBe(sha256(big));
    for (let i = 0; i < 50; i++) ws.send(`m${i}`);
    await next(53);
    expect(messages.slice(3).map((m) => m.data.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    ws.close(1000, 'bye');
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1000);
    const h = upgradeHeaders.at(-1)!;
    expect(h.upgrade).toBe('websocket');
    expect(h.connection?.toLowerCase()).toBe('upgrade');
    expect(h['sec-websocket-key']).toBeTruthy();
  });

  it('an idle WebSocket is closed by the idle timeout', async () => {
    const { ws, next } = await openWs('/ws/idle');
    await next(1);
    const t0 = performance.now();
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1006); // cut by the proxy, no close frame
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('CONNECT becomes a byte tunnel to the route\'s cluster after 200, early bytes included', async () => {
    const c = await RawClient.connect(port);
    c.send('CONNECT tunnel.example:443 HTTP/1.1\r\nHost: tunnel.example:443\r\n\r\nearly-bytes;');
    await c.until('200 and the early bytes', () => c.text.includes('\r\n\r\nearly-bytes;'));
    expect(c.text.split('\r\n')[0]).toBe('HTTP/1.1 200 Connection Established');
    const headEnd = c.text.indexOf('\r\n\r\n') + 4;
    const payload = patternBytes(300_000, 8);
    c.send(payload);
    await c.until('echo of 300000 bytes', () => c.data.length >= headEnd + 12 + payload.length);
    expect(sha256(c.data.subarray(headEnd + 12))).toBe(sha256(payload));
    c.destroy();
  });

  it('an idle CONNECT tunnel is closed by the idle timeout', async () => {
    const c = await RawClient.connect(port);
    c.send('CONNECT tunnel.example:443 HTTP/1.1\r\nHost: tunnel.example:443\r\n\r\n');
    await c.until('200', () => c.text.includes('\r\n\r\n'));
    c.send('ping');
    await c.until('echo', () => c.text.endsWith('ping'));
    const t0 = performance.now();
    await c.waitClosed(5_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('CONNECT to a cluster whose host refuses gets 502', async () => {
    const c = await RawClient.connect(port);
    c.send('CONNECT dead.example:443 HTTP/1.1\r\nHost: dead.example:443\r\n\r\n');
    const [res] = await c.waitResponses(1);
    expect(res!.status).toBe(502);
    c.destroy();
  });

  it('a declined Upgrade (upstream answers 200) stays plain HTTP on a kept-alive connection', async () => {
    plain.reset();
    const c = await RawClient.connect(port);
    c.send('GET /no-ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await c.waitResponses(1);
    c.send('GET /after HTTP/1.1\r\nHost: a\r\n\r\n');
    const rs = await c.waitResponses(2);
    expect(rs.map((r) => r.status)).toEqual([200, 200]);
    expect(c.closed).toBe(false);
    await plain.waitFor(() => plain.requests.length === 2);
    expect(plain.requests[0]!.headers.get('upgrade')).toEqual(['websocket']);
    expect(plain.requests[0]!.headers.get('connection')).toEqual(['upgrade']);
    expect(plain.requests[1]!.headers.has('upgrade')).toBe(false);
    c.destroy();
  });

  it('bytes an upstream sends right behind its 101, in the same write, reach the client', async () => {
    const c = await RawClient.connect(port);
    c.send('GET /eager HTTP/1.1\r\nHost: eager.example\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n');
    await c.until('101 and the greeting', () => c.text.includes('\r\n\r\nHELLO;'));
    expect(c.text.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    c.send('ping');
    await c.until('echo', () => c.text.endsWith('HELLO;ping'));
    c.destroy();
  });

  it('an Upgrade request with a body is forwarded whole and answered', async () => {
    plain.reset();
    const c = await RawClient.connect(port);
    c.send('POST /up-body HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 5\r\n\r\nhello');
    await c.waitResponses(1);
    c.send('GET /after HTTP/1.1\r\nHost: a\r\n\r\n');
    const rs = await c.waitResponses(2);
    expect(rs.map((r) => r.status)).toEqual([200, 200]);
    await plain.waitFor(() => plain.requests.length === 2);
    expect(plain.requests[0]!.body.toString()).toBe('hello');
    c.destroy();
  });
});
