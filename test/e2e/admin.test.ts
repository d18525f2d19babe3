// The admin API (MOSN's endpoints on admin.address) against the real process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeldConnection } from '../helpers/held-connection.ts';
import { freePort, freePorts } from '../helpers/ports.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { echoRoundTrip, patternBytes, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';

const SECRET = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

let echo: EchoServer;
let proxy: ProxyProcess;
let listenPort: number;
let adminPort: number;
let deadListenPort: number;
let config: Record<string, unknown>;

beforeAll(async () => {
  echo = await startEchoServer();
  let metricsPort: number;
  [listenPort, adminPort, metricsPort, deadListenPort] = (await freePorts(4)) as [number, number, number, number];
  const deadPort = await freePort(); // nothing listens here
  config = {
    servers: [
      {
        default_log_path: 'stdout',
        default_log_level: 'INFO',
        routers: [
          {
            router_config_name: 'web',
            virtual_hosts: [{ name: 'all', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'upstream' } }] }],
          },
        ],
        listeners: [
          {
            name: 'tcp_in',
            address: `127.0.0.1:${listenPort}`,
            filter_chains: [
              {
                // TLS is off, but the key is in the document: it must never be dumped
                tls_context: { status: false, cert_chain: 'CERT', private_key: SECRET },
                filters: [{ type: 'tcp_proxy', config: { stat_prefix: 'tcp', cluster: 'upstream' } }],
              },
            ],
          },
          {
            name: 'dead_in',
            address: `127.0.0.1:${deadListenPort}`,
            filter_chains: [{ filters: [{ type: 'tcp_proxy', config: { cluster: 'dead' } }] }],
          },
        ],
      },
    ],
    cluster_manager: {
      clusters: [
        { name: 'dead', hosts: [{ address: `127.0.0.1:${deadPort}` }] },
        { name: 'upstream', lb_type: 'LB_ROUNDROBIN', hosts: [{ address: `127.0.0.1:${echo.port}` }] },
        { name: 'spare', hosts: [{ address: `127.0.0.1:${echo.port}` }], tls_context: { status: false, Private_Key: SECRET } },
      ],
    },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
    metrics: { sinks: [{ type: 'prometheus', config: { address: '127.0.0.1', port: metricsPort } }] },
  };
  proxy = await ProxyProcess.start(config, { workers: 2 });
  await echoRoundTrip(listenPort, patternBytes(1234, 1));
});

afterAll(async () => {
  await proxy?.stop();
  await echo?.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`http://127.0.0.1:${adminPort}${path}`, init);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('admin API', () => {
  it('GET / lists the endpoints', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.text.split('\n')).toEqual(
      expect.arrayContaining([
        'supported APIs:',
        '/api/v1/version',
        '/api/v1/config_dump',
        '/api/v1/stats',
        '/api/v1/stats_glob',
        '/api/v1/states',
        '/api/v1/get_loglevel',
        '/api/v1/update_loglevel',
      ]),
    );
  });

  it('/api/v1/version', async () => {
    const r = await get('/api/v1/version');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^mosn version: 0\.1\.0 \(mosn-ts, node v24\.\d+\.\d+\)$/);
  });

  it('/api/v1/states: running is 6', async () => {
    expect(await get('/api/v1/states')).toMatchObject({ status: 200, text: `pid=${proxy.pid}&state=6\n` });
  });

  describe('/api/v1/config_dump', () => {
    it('dumps the whole document with private keys redacted', async () => {
      const r = await get('/api/v1/config_dump');
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.text).not.toContain('BEGIN PRIVATE KEY');
      const dump = JSON.parse(r.text) as typeof config;
      const expected = structuredClone(config) as any;
      expected.servers[0].listeners[0].filter_chains[0].tls_context.private_key = '[redacted]';
      expected.cluster_manager.clusters[2].tls_context.Private_Key = '[redacted]';
      expect(dump).toEqual(expected);
      // other TLS fields are kept
      expect((dump as any).servers[0].listeners[0].filter_chains[0].tls_context.cert_chain).toBe('CERT');
      expect(JSON.parse((await get('/api/v1/config_dump?mosnconfig')).text)).toEqual(dump);
    });

    it('allrouters / allclusters / alllisteners are keyed by name', async () => {
      const routers = JSON.parse((await get('/api/v1/config_dump?allrouters')).text);
      expect(Object.keys(routers)).toEqual(['web']);
      expect(routers.web.router_config_name).toBe('web');
      const clusters = JSON.parse((await get('/api/v1/config_dump?allclusters')).text);
      expect(Object.keys(clusters)).toEqual(['dead', 'upstream', 'spare']);
      expect(clusters.spare.tls_context.Private_Key).toBe('[redacted]');
      const listeners = JSON.parse((await get('/api/v1/config_dump?alllisteners')).text);
      expect(Object.keys(listeners)).toEqual(['tcp_in', 'dead_in']);
      expect(JSON.stringify(listeners)).not.toContain('BEGIN PRIVATE KEY');
    });

    it('router= / cluster= / listener= pick one', async () => {
      expect(JSON.parse((await get('/api/v1/config_dump?router=web')).text).virtual_hosts[0].name).toBe('all');
      expect(JSON.parse((await get('/api/v1/config_dump?cluster=upstream')).text).lb_type).toBe('LB_ROUNDROBIN');
      const l = JSON.parse((await get('/api/v1/config_dump?listener=tcp_in')).text);
      expect(l.address).toBe(`127.0.0.1:${listenPort}`);
      expect(l.filter_chains[0].tls_context.private_key).toBe('[redacted]');
    });

    it('unknown names, two parameters and unknown parameters are errors', async () => {
      expect((await get('/api/v1/config_dump?cluster=nope')).status).toBe(404);
      expect(await get('/api/v1/config_dump?allrouters&allclusters')).toMatchObject({ status: 400, text: 'only support one parameter' });
      expect(await get('/api/v1/config_dump?bogus')).toMatchObject({ status: 500, text: '{\n\t"error": "internal error"\n}\n' });
    });
  });

  describe('/api/v1/stats', () => {
    it('all metric sets as JSON in MOSN console shape', async () => {
      const r = await get('/api/v1/stats');
      expect(r.status).toBe(200);
      const stats = JSON.parse(r.text);
      expect(Number(stats.downstream['listener.tcp_in'].connection_total)).toBeGreaterThanOrEqual(1);
      expect(Number(stats.downstream['proxy.global'].bytes_read_total)).toBeGreaterThanOrEqual(1234);
      expect(stats.upstream[`cluster.upstream.host.127.0.0.1:${echo.port}`].connection_total).toBe('1');
      expect(stats.downstream['listener.tcp_in']).toHaveProperty('connection_duration_seconds_count');
      expect(stats.downstream['listener.tcp_in']).toHaveProperty('connection_duration_seconds_sum');
    });

    it('?key= returns one set; an unknown key says so; other parameters are refused', async () => {
      const one = JSON.parse((await get('/api/v1/stats?key=downstream.listener.tcp_in')).text);
      expect(Object.keys(one)).toEqual(['downstream']);
      expect(Object.keys(one.downstream)).toEqual(['listener.tcp_in']);
      const global = JSON.parse((await get('/api/v1/stats?key=downstream.proxy.global')).text);
      expect(Object.keys(global.downstream)).toEqual(['proxy.global']);
      expect(await get('/api/v1/stats?key=downstream.listener.nope')).toMatchObject({ status: 200, text: 'no metrics key: downstream.listener.nope' });
      expect(await get('/api/v1/stats?foo=1')).toMatchObject({ status: 400, text: 'only support one parameter' });
    });
  });

  it('/api/v1/stats_glob: the global downstream metrics as key:value lines', async () => {
    const r = await get('/api/v1/stats_glob');
    expect(r.status).toBe(200);
    const lines = Object.fromEntries(r.text.trim().split('\n').map((l) => l.split(':') as [string, string]));
    expect(Number(lines['connection_total'])).toBeGreaterThanOrEqual(1);
    expect(Number(lines['bytes_read_total'])).toBeGreaterThanOrEqual(1234);
    expect(lines).toHaveProperty('connection_active');
  });

  it('get_loglevel / update_loglevel', async () => {
    const failedConnectLine = (l: string): boolean => l.includes('"msg":"tcp_proxy: upstream connect failed"');
    expect(JSON.parse((await get('/api/v1/get_loglevel')).text)).toEqual({ stdout: 'INFO' });
    // at INFO a worker does not log a failed upstream connect
    await (await HeldConnection.open(deadListenPort)).closed;
    const update = (body: string) => get('/api/v1/update_loglevel', { method: 'POST', body });
    expect(await update(JSON.stringify({ log_path: 'stdout', log_level: 'DEBUG' }))).toMatchObject({ status: 200, text: 'update logger success\n' });
    expect(JSON.parse((await get('/api/v1/get_loglevel')).text)).toEqual({ stdout: 'DEBUG' });
    await proxy.waitForLine((l) => l.includes('"msg":"log level updated through the admin API"'));
    expect(proxy.stdout.split('\n').some(failedConnectLine)).toBe(false);
    // the workers got the new level: their debug lines appear
    await (await HeldConnection.open(deadListenPort)).closed;
    await proxy.waitForLine(failedConnectLine, 5_000);
    const bad = { status: 400, text: '{\n\t"error": "update logger failed"\n}\n' };
    expect(await update(JSON.stringify({ log_path: 'stdout', log_level: 'LOUD' }))).toMatchObject(bad);
    expect(await update(JSON.stringify({ log_path: '/var/log/other.log', log_level: 'INFO' }))).toMatchObject(bad);
    expect(await update('not json')).toMatchObject(bad);
    expect(await update(JSON.stringify({ log_path: 'stdout', log_level: 'INFO' }))).toMatchObject({ status: 200 });
    expect(JSON.parse((await get('/api/v1/get_loglevel')).text)).toEqual({ stdout: 'INFO' });
  });

  it('wrong methods are 405, unknown paths 404', async () => {
    for (const path of ['/api/v1/version', '/api/v1/config_dump', '/api/v1/stats', '/api/v1/stats_glob', '/api/v1/states', '/api/v1/get_loglevel']) {
      expect((await get(path, { method: 'POST', body: '{}' })).status, path).toBe(405);
    }
    expect((await get('/api/v1/update_loglevel')).status).toBe(405);
    expect((await get('/api/v1/nope')).status).toBe(404);
  });

  it('the debug API exists only with MOSN_TS_DEBUG_API=1', async () => {
    expect(await get('/debug/crash_worker?index=9', { method: 'POST' })).toMatchObject({ status: 404, text: 'no such worker\n' });
    const [l, a] = (await freePorts(2)) as [number, number];
    const plain = structuredClone(config) as any;
    plain.servers[0].listeners = [{ ...plain.servers[0].listeners[0], address: `127.0.0.1:${l}` }];
    plain.admin.address.socket_address.port_value = a;
    delete plain.metrics;
    const other = await ProxyProcess.start(plain, { env: { MOSN_TS_DEBUG_API: '0' } });
    try {
      const res = await fetch(`http://127.0.0.1:${a}/debug/crash_worker?index=0`, { method: 'POST' });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('not found\n');
    } finally {
      await other.stop();
    }
  });
});
