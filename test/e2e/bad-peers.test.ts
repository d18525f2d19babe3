// Peers that misbehave: silent, resetting, an upstream that is down or never answers, idle
// connections, more connections than the circuit breaker allows. Each is counted, nothing
// leaks (active gauges back to 0), the process stays up and keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HeldConnection } from '../helpers/held-connection.ts';
import { observability } from '../helpers/mosn-config.ts';
import { freePort, freePorts } from '../helpers/ports.ts';
import { sampleValue, scrape, waitForSample, type PromSample } from '../helpers/prometheus.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { startStalledListener, type StalledListener } from '../helpers/stalled-listener.ts';
import { echoRoundTrip, patternBytes, sha256, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';
import { within } from '../helpers/wait.ts';

let echo: EchoServer;
let stalled: StalledListener;
let proxy: ProxyProcess;
let metricsPort: number;
let deadPort: number;
const port: Record<'main' | 'down' | 'slow' | 'idle' | 'idle_listener' | 'limited', number> = { main: 0, down: 0, slow: 0, idle: 0, idle_listener: 0, limited: 0 };

function listener(name: keyof typeof port, cluster: string, tcpProxy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    name,
    address: `127.0.0.1:${port[name]}`,
    filter_chains: [{ filters: [{ type: 'tcp_proxy', config: { cluster, ...tcpProxy } }] }],
  };
}

function clusterOf(name: string, hostPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'SIMPLE', lb_type: 'LB_ROUNDROBIN', hosts: [{ address: `127.0.0.1:${hostPort}` }], ...extra };
}

beforeAll(async () => {
  echo = await startEchoServer();
  stalled = await startStalledListener();
  deadPort = await freePort(); // nothing listens here
  const names = Object.keys(port) as Array<keyof typeof port>;
  const ports = await freePorts(names.length + 1);
  names.forEach((name, i) => (port[name] = ports[i]!));
  metricsPort = ports[names.length]!;
  const config = {
    servers: [
      {
        default_log_path: 'stdout',
        listeners: [
          listener('main', 'echo'),
          listener('down', 'dead'),
          listener('slow', 'stalled'),
          listener('idle', 'echo_idle', { idle_timeout: '1s' }),
          // MOSN's listener-wide idle timeout applies to tcp_proxy connections too
          listener('idle_listener', 'echo_idle', {}, { connection_idle_timeout: '1s' }),
          listener('limited', 'limited'),
        ],
      },
    ],
    cluster_manager: {
      clusters: [
        clusterOf('echo', echo.port),
        clusterOf('dead', deadPort),
        clusterOf('stalled', stalled.port, { connect_timeout: '300ms' }),
        clusterOf('echo_idle', echo.port),
        clusterOf('limited', echo.port, { circuit_breakers: [{ max_connections: 1 }] }),
      ],
    },
    ...observability(undefined, metricsPort),
  };
  proxy = await ProxyProcess.start(config, { workers: 2 });
});

afterAll(async () => {
  await proxy?.stop();
  stalled?.close();
  await echo?.close();
});

afterEach(async () => {
  // no leak: every listener's active gauge returns to 0 and the process still serves
  await waitForSample(metricsPort, 'downstream_connection_active', { proxy: 'global' }, (v) => v === 0);
  const samples = await scrape(metricsPort);
  for (const name of Object.keys(port)) expect(sampleValue(samples, 'downstream_connection_active', { listener: name })).toBe(0);
  expect(sampleValue(samples, 'mosn_ts_workers')).toBe(2);
  expect(proxy.child.exitCode).toBeNull();
  const payload = patternBytes(20_000, 11);
  expect((await echoRoundTrip(port.main, payload)).hash).toBe(sha256(payload));
  await waitForSample(metricsPort, 'downstream_connection_active', { proxy: 'global' }, (v) => v === 0);
});

const delta = (after: PromSample[], before: PromSample[], name: string, labels: Record<string, string>): number =>
  sampleValue(after, name, labels) - sampleValue(before, name, labels);

describe('bad peers', () => {
  it('connections that send nothing and close are counted and released', async () => {
    const before = await scrape(metricsPort);
    for (const how of ['end', 'destroy'] as const) {
      const c = await HeldConnection.open(port.main);
      // the proxy has taken it (and dialled the upstream) before we go
      await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'echo' }, (v) => v === 1);
      await (how === 'end' ? c.close() : c.destroy());
      await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'echo' }, (v) => v === 0);
    }
    const after = await waitForSample(metricsPort, 'downstream_connection_active', { listener: 'main' }, (v) => v === 0);
    expect(delta(after, before, 'downstream_connection_total', { listener: 'main' })).toBe(2);
    expect(delta(after, before, 'downstream_connection_destroy_total', { listener: 'main' })).toBe(2);
    expect(delta(after, before, 'downstream_bytes_read_total', { listener: 'main' })).toBe(0);
  });

  it('a peer that resets is counted and both sides are closed', async () => {
    const before = await scrape(metricsPort);
    const c = await HeldConnection.open(port.main);
    const payload = patternBytes(1000, 1);
    expect(sha256(await c.echo(payload))).toBe(sha256(payload));
    c.socket.resetAndDestroy();
    const after = await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'echo' }, (v) => v === 0);
    expect(delta(after, before, 'downstream_connection_reset_total', { listener: 'main' })).toBe(1);
  });

  it('a burst of peers resetting right after connecting leaves nothing behind', async () => {
    const conns = await Promise.all(Array.from({ length: 50 }, () => HeldConnection.open(port.main)));
    for (const c of conns) c.socket.resetAndDestroy();
    await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'echo' }, (v) => v === 0);
  });

  it('an upstream that refuses: the downstream is closed and the failure counted', async () => {
    const before = await scrape(metricsPort);
    const c = await HeldConnection.open(port.down);
    await within('downstream closed by the proxy', 5_000, c.closed);
    const host = { cluster: 'dead', host: `127.0.0.1:${deadPort}` };
    // the upstream socket's close is counted a moment after the downstream goes
    const after = await waitForSample(metricsPort, 'upstream_connection_active', host, (v) => v === 0);
    expect(delta(after, before, 'upstream_connection_con_fail_total', host)).toBe(1);
    expect(delta(after, before, 'upstream_connection_total', host)).toBe(1);
    expect(sampleValue(after, 'upstream_connection_active', host)).toBe(0);
    expect(delta(after, before, 'downstream_connection_total', { listener: 'down' })).toBe(1);
  });

  it('an upstream that never answers: closed after connect_timeout, counted as a timeout', async () => {
    const before = await scrape(metricsPort);
    const t0 = Date.now();
    const c = await HeldConnection.open(port.slow);
    await within('downstream closed after the connect timeout', 5_000, c.closed);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const host = { cluster: 'stalled', host: `127.0.0.1:${stalled.port}` };
    const after = await waitForSample(metricsPort, 'upstream_connection_active', host, (v) => v === 0);
    expect(delta(after, before, 'upstream_connection_connect_timeout_total', host)).toBe(1);
    expect(delta(after, before, 'upstream_connection_con_fail_total', host)).toBe(1);
    expect(sampleValue(after, 'upstream_connection_active', host)).toBe(0);
  });

  it('an idle connection is closed after idle_timeout (tcp_proxy or listener) and counted', async () => {
    const before = await scrape(metricsPort);
    const conns = await Promise.all([HeldConnection.open(port.idle), HeldConnection.open(port.idle_listener)]);
    const payload = patternBytes(5000, 2);
    for (const c of conns) expect(sha256(await c.echo(payload))).toBe(sha256(payload));
    const t0 = Date.now();
    await within('idle connections closed', 5_000, Promise.all(conns.map((c) => c.closed)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await waitForSample(metricsPort, 'downstream_connection_active', { proxy: 'global' }, (v) => v === 0);
    const after = await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'echo_idle' }, (v) => v === 0);
    for (const name of ['idle', 'idle_listener']) expect(delta(after, before, 'downstream_connection_idle_timeout_total', { listener: name })).toBe(1);
  });

  it('circuit_breakers.max_connections: the connection over the limit is closed and counted', async () => {
    const before = await scrape(metricsPort);
    const first = await HeldConnection.open(port.limited);
    const payload = patternBytes(3000, 3);
    expect(sha256(await first.echo(payload))).toBe(sha256(payload));
    const second = await HeldConnection.open(port.limited);
    await within('the connection over the limit is closed', 5_000, second.closed);
    const mid = await scrape(metricsPort);
    expect(delta(mid, before, 'upstream_connection_overflow_total', { cluster: 'limited' })).toBe(1);
    expect(delta(mid, before, 'upstream_connection_total', { cluster: 'limited' })).toBe(1);
    // the first is untouched
    expect(sha256(await first.echo(payload))).toBe(sha256(payload));
    await first.close();
    await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'limited' }, (v) => v === 0);
    // the slot is free again
    expect((await echoRoundTrip(port.limited, payload)).hash).toBe(sha256(payload));
  });
});
