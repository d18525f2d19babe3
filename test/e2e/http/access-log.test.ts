// Listener access logs with MOSN format strings, written to a temp file: each variable's value
// for a proxied request, a local reply, and "-" for what a request does not have; the default
// format too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, tempLogPath, waitForLogLine } from '../../helpers/access-log-file.ts';
import { httpProxyConfig, LISTENER_NAME } from '../../helpers/http-config.ts';
import { RecordingUpstream } from '../../helpers/http-peers.ts';
import { RawClient } from '../../helpers/raw-http-client.ts';
import { freePort } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

const VARS = [
  'start_time',
  'request_received_duration',
  'response_received_duration',
  'duration',
  'response_flag',
  'response_code',
  'upstream_local_address',
  'downstream_local_address',
  'downstream_remote_address',
  'upstream_host',
  'upstream_cluster',
  'request_header_x-foo',
  'request_header_x-case',
  'response_header_x-resp',
  'bytes_sent',
  'bytes_received',
  'protocol',
  'listener_name',
  'x-mosn-method',
  'x-mosn-path',
  'x-mosn-querystring',
  'Http1_request_header_x-foo',
] as const;
type Var = (typeof VARS)[number];

const GO_DURATION = /^\d+(\.\d+)?(ns|µs|ms|s)$/;

describe('access log', () => {
  let up: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;
  const logPath = tempLogPath('custom.log');
  const defaultLogPath = tempLogPath('default.log');

  beforeAll(async () => {
    up = await RecordingUpstream.start({ onRequest: (req) => req.socket.write('HTTP/1.1 200 OK\r\nX-Resp: yes\r\nContent-Length: 2\r\n\r\nok') });
    port = await freePort();
    proxy = await ProxyProcess.start(
      httpProxyConfig({
        listenPort: port,
        clusters: [{ name: 'logged', hosts: [up.port] }],
        virtualHosts: [{ name: 'all', domains: ['log.example'], routers: [{ match: { prefix: '/log' }, route: { cluster_name: 'logged' } }] }],
        listenerExtra: {
          access_logs: [
            { log_path: logPath, log_format: VARS.map((v) => `%${v}%`).join('|') },
            { log_path: defaultLogPath },
          ],
        },
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await up?.close();
  });

  async function entry(kase: string): Promise<Record<Var, string>> {
    const line = await waitForLogLine(logPath, (l) => l.split('|')[12] === kase);
    const fields = line.split('|');
    expect(fields).toHaveLength(VARS.length);
    return Object.fromEntries(VARS.map((v, i) => [v, fields[i]!])) as Record<Var, string>;
  }

  it('logs a proxied request with every variable filled in', async () => {
    const c = await RawClient.connect(port);
    const request = 'POST /log/a?x=1&y=2 HTTP/1.1\r\nHost: log.example\r\nX-Foo: bar\r\nX-Case: proxied\r\nContent-Length: 5\r\n\r\nhello';
    c.send(request);
    await c.waitResponses(1);
    const e = await entry('proxied');
    const clientPort = c.socket.localPort;
    c.destroy();
    expect(e.start_time).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    for (const d of ['request_received_duration', 'response_received_duration', 'duration'] as const) expect(e[d]).toMatch(GO_DURATION);
    expect(e.response_flag).toBe('-');
    expect(e.response_code).toBe('200');
    // the address the upstream saw the request come from
    const upSocket = up.requests.at(-1)!.socket;
    expect(e.upstream_local_address).toBe(`127.0.0.1:${upSocket.remotePort}`);
    expect(e.downstream_local_address).toBe(`127.0.0.1:${port}`);
    expect(e.downstream_remote_address).toBe(`127.0.0.1:${clientPort}`);
    expect(e.upstream_host).toBe(`127.0.0.1:${up.port}`);
    expect(e.upstream_cluster).toBe('logged');
    expect(e['request_header_x-foo']).toBe('bar');
    expect(e['Http1_request_header_x-foo']).toBe('bar');
    expect(e['response_header_x-resp']).toBe('yes');
    expect(e.bytes_sent).toBe('2');
    expect(e.bytes_received).toBe(String(Buffer.byteLength(request)));
    expect(e.protocol).toBe('Http1');
    expect(e.listener_name).toBe(LISTENER_NAME);
    expect(e['x-mosn-method']).toBe('POST');
    expect(e['x-mosn-path']).toBe('/log/a');
    expect(e['x-mosn-querystring']).toBe('x=1&y=2');
  });

  it('logs "-" for what a locally answered request does not have', async () => {
    const c = await RawClient.connect(port);
    c.send('GET /nowhere HTTP/1.1\r\nHost: elsewhere.example\r\nX-Case: local\r\n\r\n');
    await c.waitResponses(1);
    c.destroy();
    const e = await entry('local');
    expect(e.response_code).toBe('404');
    expect(e.response_flag).toBe('NR');
    for (const v of ['upstream_local_address', 'upstream_host', 'upstream_cluster', 'request_header_x-foo', 'response_header_x-resp', 'response_received_duration'] as const) {
      expect(e[v], v).toBe('-');
    }
    expect(e['x-mosn-querystring']).toBe('');
  });

  it('writes one line per request, in the default MOSN format when log_format is absent', async () => {
    const before = logLines(logPath).length;
    const c = await RawClient.connect(port);
    for (let i = 0; i < 5; i++) c.send(`GET /log/n${i} HTTP/1.1\r\nHost: log.example\r\nX-Case: many\r\n\r\n`);
    await c.waitResponses(5);
    c.destroy();
    await waitForLogLine(logPath, () => logLines(logPath).length >= before + 5);
    expect(logLines(logPath).filter((l) => l.split('|')[12] === 'many')).toHaveLength(5);
    const def = await waitForLogLine(defaultLogPath, (l) => l.includes(' 200 '));
    // start_time (2 tokens) … response_code … upstream_host: MOSN's 14 variables, 15 tokens
    const tokens = def.split(' ');
    expect(tokens).toHaveLength(15);
    expect(tokens[6]).toBe('Http1');
    expect(tokens[7]).toBe('200');
    expect(tokens[14]).toBe(`127.0.0.1:${up.port}`);
  });
});
