// The real `mosn-ts` command: version, validate, start refusing bad configs and busy ports with
// one line naming the file, the JSON path and the reason; flag and environment handling.
import net from 'node:net';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinNetworkFilters } from '../../src/extensions.ts';
import { tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePort, freePorts } from '../helpers/ports.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';
import { ProxyProcess, runCli, writeConfig } from '../helpers/proxy-process.ts';
import { waitFor } from '../helpers/wait.ts';
import { echoRoundTrip, patternBytes, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';

const L0 = 'servers[0].listeners[0]';
const F0 = `${L0}.filter_chains[0].filters[0]`;

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo?.close();
});

async function validConfig(extra: Partial<Parameters<typeof tcpProxyConfig>[0]> = {}): Promise<Record<string, unknown>> {
  return tcpProxyConfig({ listenPort: await freePort(), upstreamPorts: [echo.port], ...extra });
}

/** Runs validate and start on `file`: both must exit 1 with exactly `mosn-ts: <file>: <rest>`. */
async function expectRefused(file: string, rest: string): Promise<void> {
  for (const command of ['validate', 'start']) {
    const r = await runCli([command, '-c', file, ...(command === 'start' ? ['--workers', '1'] : [])]);
    expect({ command, code: r.code, stderr: r.stderr }).toEqual({ command, code: 1, stderr: `mosn-ts: ${file}: ${rest}\n` });
  }
}

describe('mosn-ts version', () => {
  it('prints the package version and exits 0', async () => {
    const r = await runCli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mosn-ts version 0\.1\.0 \(node v24\.\d+\.\d+\)\n$/);
  });
});

describe.concurrent('mosn-ts validate', () => {
  it('exits 0 and summarises a valid config', async () => {
    const file = writeConfig(await validConfig());
    const r = await runCli(['validate', '-c', file]);
    expect(r).toMatchObject({ code: 0, stdout: `${file}: ok (1 listeners, 1 clusters, 0 routers)\n`, stderr: '' });
  });

  it('prints warnings for ignored keys with their path, still exits 0', async () => {
    const doc = await validConfig();
    doc['disable_upgrade'] = true;
    const file = writeConfig(doc);
    const r = await runCli(['validate', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`mosn-ts: warning: ${file}: disable_upgrade: ignored: smooth upgrade is not implemented yet, so there is nothing to disable\n`);
  });

  it('reads YAML', async () => {
    const file = writeConfig(stringify(await validConfig()), 'config.yaml');
    const r = await runCli(['validate', '-c', file]);
    expect(r).toMatchObject({ code: 0, stdout: `${file}: ok (1 listeners, 1 clusters, 0 routers)\n` });
  });

  it('a missing file: exit 1, one line', async () => {
    const r = await runCli(['validate', '-c', '/nonexistent/mosn.json']);
    expect(r).toMatchObject({ code: 1, stderr: 'mosn-ts: /nonexistent/mosn.json: cannot read config: ENOENT\n' });
  });
});

describe.concurrent('bad configs are refused by validate and start with file, JSON path and reason', () => {
  it('JSON syntax error', async () => {
    const text = JSON.stringify(await validConfig(), null, 2).replace('"stat_prefix": "tcp",', '"stat_prefix": "tcp",,');
    const file = writeConfig(text);
    const line = text.split('\n').findIndex((l) => l.includes(',,')) + 1;
    const column = text.split('\n')[line - 1]!.indexOf(',,') + 2;
    await expectRefused(file, `${F0}.config: invalid JSON at line ${line} column ${column}: Expected double-quoted property name`);
  });

  it('JSON error V8 reports without a position', async () => {
    const text = JSON.stringify(await validConfig()).replace('"default_log_level":"INFO"', '"default_log_level":}');
    const file = writeConfig(text);
    const column = text.indexOf(':}') + 2;
    await expectRefused(file, `servers[0].default_log_level: invalid JSON at line 1 column ${column}: Unexpected token '}'`);
  });

  it('YAML syntax error', async () => {
    const text = stringify(await validConfig()).replace('stat_prefix: tcp', 'stat_prefix: "tcp');
    const file = writeConfig(text, 'config.yaml');
    // the unclosed quote runs to the end of the document, where the parser reports it
    const lines = text.split('\n').length;
    await expectRefused(file, `${F0}.config.stat_prefix: invalid YAML at line ${lines} column 1: Missing closing "quote`);
  });

  it('unknown key', async () => {
    const doc = await validConfig();
    ((doc['cluster_manager'] as { clusters: Array<Record<string, unknown>> }).clusters[0]!)['lb_tpye'] = 'LB_RANDOM';
    await expectRefused(writeConfig(doc), 'cluster_manager.clusters[0].lb_tpye: unknown key');
  });

  it('unknown filter', async () => {
    const doc = await validConfig();
    const text = JSON.stringify(doc).replace('"type":"tcp_proxy"', '"type":"foo"');
    const known = builtinNetworkFilters.map((f) => f.name).join(', ');
    await expectRefused(writeConfig(text), `${F0}.type: unknown filter "foo" (known: ${known})`);
  });

  it('unresolvable cluster name', async () => {
    const doc = await validConfig({ tcpProxy: { cluster: 'nowhere' } });
    await expectRefused(writeConfig(doc), `${F0}.config.cluster: unknown cluster "nowhere" (defined: upstream)`);
  });
});

describe('mosn-ts start refuses ports in use', () => {
  async function occupy(port: number): Promise<net.Server> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(port, '127.0.0.1', () => r()));
    return s;
  }

  it.each(['handoff', 'reuseport'] as const)('a listener port (%s)', async (mode) => {
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const file = writeConfig(tcpProxyConfig({ listenPort: port, upstreamPorts: [echo.port] }));
      const r = await runCli(['start', '-c', file, '--workers', '2', '--accept-mode', mode]);
      expect(r).toMatchObject({
        code: 1,
        stderr: `mosn-ts: ${file}: ${L0}.address: cannot listen on 127.0.0.1:${port} for listener tcp_in: address already in use\n`,
      });
    } finally {
      blocker.close();
    }
  });

  it('the admin port and the metrics port', async () => {
    const [listenPort, adminPort, metricsPort] = await freePorts(3);
    const file = writeConfig(tcpProxyConfig({ listenPort: listenPort!, upstreamPorts: [echo.port], adminPort, metricsPort }));
    const blockAdmin = await occupy(adminPort!);
    try {
      const r = await runCli(['start', '-c', file, '--workers', '1']);
      expect(r).toMatchObject({
        code: 1,
        stderr: `mosn-ts: ${file}: admin.address.socket_address: cannot listen on 127.0.0.1:${adminPort} for the admin API: address already in use\n`,
      });
    } finally {
      blockAdmin.close();
    }
    const blockMetrics = await occupy(metricsPort!);
    try {
      const r = await runCli(['start', '-c', file, '--workers', '1']);
      expect(r).toMatchObject({
        code: 1,
        stderr: `mosn-ts: ${file}: metrics.sinks[0].config.port: cannot listen on 127.0.0.1:${metricsPort} for the prometheus sink: address already in use\n`,
      });
    } finally {
      blockMetrics.close();
    }
  });

  it('the admin API on a listener port', async () => {
    const port = await freePort();
    const file = writeConfig(tcpProxyConfig({ listenPort: port, upstreamPorts: [echo.port], adminPort: port }));
    const r = await runCli(['start', '-c', file, '--workers', '1']);
    expect(r).toMatchObject({
      code: 1,
      stderr: `mosn-ts: ${file}: admin.address.socket_address: port ${port} is also used by listener tcp_in (${L0}.address)\n`,
    });
  });
});

describe.concurrent('command line errors exit 2 with a message', () => {
  it.each<[string[], RegExp]>([
    [['start', '-c', 'x.json', '--workers', 'abc'], /^mosn-ts: invalid setting: --workers: expected a whole number >= 0 \(0: one per CPU core\), got "abc"\n$/],
    [['start', '-c', 'x.json', '--workers', '2.5'], /^mosn-ts: invalid setting: --workers: expected a whole number >= 0 \(0: one per CPU core\), got "2\.5"\n$/],
    [['start', '-c', 'x.json', '--accept-mode', 'foo'], /^mosn-ts: invalid setting: --accept-mode: expected handoff or reuseport, got "foo"\n$/],
    [['start', '-c', 'x.json', '--log-level', 'loud'], /^mosn-ts: invalid setting: --log-level: expected trace, debug, info, warn, error, critical or off, got "loud"\n$/],
    [['start', '-c', 'x.json', '--drain-time-s', 'soon'], /^mosn-ts: invalid setting: --drain-time-s: expected a whole number of seconds >= 0, got "soon"\n$/],
    [['start', '-c', 'x.json', '--bogus'], /^mosn-ts: Unknown option '--bogus'/],
    [['start'], /^mosn-ts: no config file: pass -c <file> or set MOSN_CONFIG\n/],
    [['frobnicate'], /^mosn-ts: unknown command "frobnicate"\n/],
    [['validate', '-c', 'a.json', 'extra'], /^mosn-ts: unexpected argument "extra"\n/],
  ])('%j', async (args, stderr) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
  });

  it('no command prints usage and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^usage:\n {2}mosn-ts start -c/);
  });

  it('a bad environment value is named by its variable', async () => {
    const r = await runCli(['validate', '-c', 'x.json'], { env: { MOSN_TS_WORKERS: 'lots' } });
    expect(r).toMatchObject({ code: 2, stderr: 'mosn-ts: invalid setting: MOSN_TS_WORKERS: expected a whole number >= 0 (0: one per CPU core), got "lots"\n' });
  });
});

describe('environment variables', () => {
  it('MOSN_CONFIG, MOSN_TS_WORKERS, MOSN_TS_ACCEPT_MODE and LOG_LEVEL are honoured', async () => {
    const [listenPort, adminPort, metricsPort] = await freePorts(3);
    const config = tcpProxyConfig({ listenPort: listenPort!, upstreamPorts: [echo.port], adminPort, metricsPort });
    const proxy = await ProxyProcess.start(config, {
      workers: null,
      configVia: 'env',
      env: { MOSN_TS_WORKERS: '3', MOSN_TS_ACCEPT_MODE: 'reuseport', LOG_LEVEL: 'debug' },
    });
    try {
      const started = JSON.parse(await proxy.waitForLine((l) => l.includes('"msg":"mosn-ts started"'))) as Record<string, unknown>;
      expect(started).toMatchObject({ workers: 3, acceptMode: 'reuseport', config: proxy.configFile, level: 'info' });
      expect(sampleValue(await scrape(metricsPort!), 'mosn_ts_workers')).toBe(3);
      const level = await (await fetch(`http://127.0.0.1:${adminPort}/api/v1/get_loglevel`)).json();
      expect(level).toEqual({ stdout: 'DEBUG' });
      // debug lines from the workers are printed
      await proxy.waitForLine((l) => l.includes('"msg":"data plane ready"'));
      const payload = patternBytes(10_000, 3);
      expect((await echoRoundTrip(listenPort!, payload)).bytes).toBe(payload.length);
    } finally {
      expect((await proxy.stop()).code).toBe(0);
    }
  });

  it('flags win over the environment', async () => {
    const [listenPort, metricsPort] = await freePorts(2);
    const config = tcpProxyConfig({ listenPort: listenPort!, upstreamPorts: [echo.port], metricsPort });
    const proxy = ProxyProcess.spawn(config, { workers: 2, env: { MOSN_TS_WORKERS: '3', LOG_LEVEL: 'debug' }, args: ['--log-level', 'warn'] });
    try {
      // no started line at warn: wait for the metrics endpoint instead
      const samples = await waitFor('the metrics endpoint', () => scrape(metricsPort!).catch(() => undefined));
      expect(sampleValue(samples, 'mosn_ts_workers')).toBe(2);
      // at warn, neither the started line (info) nor debug lines are printed
      expect(proxy.stdout).not.toContain('"msg":"data plane ready"');
      expect(proxy.stdout).not.toContain('"msg":"mosn-ts started"');
    } finally {
      expect((await proxy.stop()).code).toBe(0);
    }
  });
});
