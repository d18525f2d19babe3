// Worker threads in both accept modes: connections spread over the workers, a crashed worker
// is replaced and counted while the other worker's connections carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeldConnection } from '../helpers/held-connection.ts';
import { tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePorts } from '../helpers/ports.ts';
import { sampleValue, scrape, waitForSample, type PromSample } from '../helpers/prometheus.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { echoRoundTrip, patternBytes, sha256, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';
import { waitFor } from '../helpers/wait.ts';

const WORKERS = 2;
const CONCURRENT = 200;

const perWorker = (samples: PromSample[], name: string): number[] =>
  Array.from({ length: WORKERS }, (_v, w) => sampleValue(samples, name, { worker: String(w) }));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe.each(['handoff', 'reuseport'] as const)('%s accept mode with 2 workers', (mode) => {
  let echo: EchoServer;
  let proxy: ProxyProcess;
  let listenPort: number;
  let adminPort: number;
  let metricsPort: number;
  const opened: HeldConnection[] = [];

  beforeAll(async () => {
    echo = await startEchoServer();
    [listenPort, adminPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort, upstreamPorts: [echo.port], adminPort, metricsPort }), {
      workers: WORKERS,
      acceptMode: mode,
    });
  });

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.destroy()));
    await proxy?.stop();
    await echo?.close();
  });

  it(`${CONCURRENT} concurrent connections all echo correctly and every worker takes some`, async () => {
    const before = perWorker(await scrape(metricsPort), 'mosn_ts_worker_connection_total');
    const payloads = Array.from({ length: CONCURRENT }, (_v, i) => patternBytes(2_000 + i * 37, i + 1));
    const results = await Promise.all(payloads.map((p) => echoRoundTrip(listenPort, p)));
    results.forEach((r, i) => {
      expect(r.bytes).toBe(payloads[i]!.length);
      expect(r.hash).toBe(sha256(payloads[i]!));
    });
    const after = await waitForSample(metricsPort, 'downstream_connection_active', { listener: 'tcp_in' }, (v) => v === 0);
    const taken = perWorker(after, 'mosn_ts_worker_connection_total').map((v, w) => v - before[w]!);
    expect(sum(taken)).toBe(CONCURRENT);
    for (const t of taken) expect(t).toBeGreaterThan(0);
    expect(perWorker(after, 'mosn_ts_worker_connection_active')).toEqual([0, 0]);
  });

  it('a crashed worker is replaced and counted; the other worker keeps its connections', async () => {
    const samples0 = await scrape(metricsPort);
    const restartsBefore = sampleValue(samples0, 'worker_restarts_total');
    expect(sampleValue(samples0, 'mosn_ts_workers')).toBe(WORKERS);

    // Open connections one at a time until each worker holds one; note which worker took which.
    const held: Array<{ conn: HeldConnection; worker: number }> = [];
    let active = perWorker(samples0, 'mosn_ts_worker_connection_active');
    for (let i = 0; i < 40 && !(held.some((h) => h.worker === 0) && held.some((h) => h.worker === 1)); i++) {
      const conn = await HeldConnection.open(listenPort);
      opened.push(conn);
      const seen = await waitFor('the new connection to be counted by a worker', async () => {
        const now = perWorker(await scrape(metricsPort), 'mosn_ts_worker_connection_active');
        return sum(now) === sum(active) + 1 ? now : undefined;
      });
      const worker = seen.findIndex((v, w) => v === active[w]! + 1);
      held.push({ conn, worker });
      active = seen;
    }
    const onWorker1 = held.filter((h) => h.worker === 1);
    const onWorker0 = held.filter((h) => h.worker === 0);
    expect(onWorker0.length).toBeGreaterThan(0);
    expect(onWorker1.length).toBeGreaterThan(0);
    const probe = patternBytes(50_000, 77);
    for (const h of held) expect(sha256(await h.conn.echo(probe))).toBe(sha256(probe));

    const res = await fetch(`http://127.0.0.1:${adminPort}/debug/crash_worker?index=0`, { method: 'POST' });
    expect(res.status).toBe(200);

    // worker 0's connections die with it; worker 1's stay
    await Promise.all(onWorker0.map((h) => h.conn.closed));
    await waitForSample(metricsPort, 'worker_restarts_total', {}, (v) => v > restartsBefore);
    const restarted = await waitForSample(metricsPort, 'mosn_ts_workers', {}, (v) => v === WORKERS, 15_000);
    expect(sampleValue(restarted, 'worker_restarts_total')).toBe(restartsBefore + 1);
    for (const h of onWorker1) {
      expect(h.conn.isClosed).toBe(false);
      expect(sha256(await h.conn.echo(probe))).toBe(sha256(probe));
    }
    // what the dead worker held was taken back: gauges count only worker 1's connections
    expect(perWorker(restarted, 'mosn_ts_worker_connection_active')).toEqual([0, onWorker1.length]);
    expect(sampleValue(restarted, 'downstream_connection_active', { listener: 'tcp_in' })).toBe(onWorker1.length);
    expect(sampleValue(restarted, 'upstream_connection_active', { cluster: 'upstream' })).toBe(onWorker1.length);

    // new connections are served, by both workers again
    const payload = patternBytes(10_000, 5);
    const more = await Promise.all(Array.from({ length: 20 }, () => echoRoundTrip(listenPort, payload)));
    for (const r of more) expect(r.hash).toBe(sha256(payload));
    for (const h of onWorker1) await h.conn.close();
    await waitForSample(metricsPort, 'downstream_connection_active', { listener: 'tcp_in' }, (v) => v === 0);
    const end = await waitForSample(metricsPort, 'upstream_connection_active', { cluster: 'upstream' }, (v) => v === 0);
    expect(sampleValue(end, 'worker_restarts_total')).toBe(restartsBefore + 1);
    expect(proxy.child.exitCode).toBeNull();
    expect(proxy.stdout).toContain('"msg":"worker exited; starting a replacement"');
  });
});
