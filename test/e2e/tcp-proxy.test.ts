import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePorts } from '../helpers/ports.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { echoRoundTrip, patternBytes, sha256, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';

describe('tcp_proxy through the real process', () => {
  let echo: EchoServer;
  let proxy: ProxyProcess;
  let listenPort: number;
  let metricsPort: number;

  beforeAll(async () => {
    echo = await startEchoServer();
    const ports = await freePorts(3);
    const adminPort = ports[1]!;
    listenPort = ports[0]!;
    metricsPort = ports[2]!;
    proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort, upstreamPorts: [echo.port], adminPort, metricsPort }), { workers: 2 });
  });

  afterAll(async () => {
    await proxy?.stop();
    await echo?.close();
  });

  it('carries 1 MiB and 64 MiB intact (sha256) with half-close', async () => {
    for (const size of [1 << 20, 64 << 20]) {
      const payload = patternBytes(size, size);
      const got = await echoRoundTrip(listenPort, payload);
      expect(got.bytes).toBe(size);
      expect(got.hash).toBe(sha256(payload));
    }
  });

  it('counts exactly the bytes and connections sent', async () => {
    const before = await scrape(metricsPort);
    const payload = patternBytes(123_457, 9);
    await echoRoundTrip(listenPort, payload);
    await echoRoundTrip(listenPort, payload);
    // the close of the second connection is counted when the proxy sees it: wait on the gauge
    let after = await scrape(metricsPort);
    for (let i = 0; i < 100 && sampleValue(after, 'downstream_connection_active', { listener: 'tcp_in' }) !== 0; i++) {
      await new Promise((r) => setImmediate(r));
      after = await scrape(metricsPort);
    }
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('downstream_connection_total', { listener: 'tcp_in' })).toBe(2);
    expect(delta('downstream_bytes_read_total', { listener: 'tcp_in' })).toBe(2 * payload.length);
    expect(delta('downstream_bytes_write_total', { listener: 'tcp_in' })).toBe(2 * payload.length);
    expect(delta('upstream_connection_total', { cluster: 'upstream' })).toBe(2);
    expect(delta('upstream_connection_bytes_write_total', { cluster: 'upstream', host: `127.0.0.1:${echo.port}` })).toBe(2 * payload.length);
    expect(sampleValue(after, 'downstream_connection_active', { listener: 'tcp_in' })).toBe(0);
    expect(sampleValue(after, 'mosn_ts_workers')).toBe(2);
  });
});
