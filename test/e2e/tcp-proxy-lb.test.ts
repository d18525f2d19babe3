// Host choice in tcp_proxy: the cluster's balancer (round robin, random), retries on another
// host (max_connect_attempts), and tcp_proxy routes by source/destination address and port.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeldConnection } from '../helpers/held-connection.ts';
import { observability, tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePort, freePorts } from '../helpers/ports.ts';
import { sampleValue, scrape, waitForSample } from '../helpers/prometheus.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { echoRoundTrip, patternBytes, sha256, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';
import { within } from '../helpers/wait.ts';

const PAYLOAD = patternBytes(4096, 21);

let echoes: EchoServer[];
beforeAll(async () => {
  echoes = await Promise.all([startEchoServer(), startEchoServer(), startEchoServer()]);
});
afterAll(async () => {
  await Promise.all(echoes.map((e) => e.close()));
});

async function sequentialRoundTrips(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await echoRoundTrip(port, PAYLOAD)).hash).toBe(sha256(PAYLOAD));
}

const counts = (): number[] => echoes.map((e) => e.connections);
const diff = (a: number[], b: number[]): number[] => a.map((v, i) => v - b[i]!);

describe('load balancing', () => {
  it('LB_ROUNDROBIN spreads connections exactly evenly (1 worker)', async () => {
    const [listenPort, metricsPort] = (await freePorts(2)) as [number, number];
    const proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort, upstreamPorts: echoes.map((e) => e.port), metricsPort, lbType: 'LB_ROUNDROBIN' }));
    try {
      const before = counts();
      await sequentialRoundTrips(listenPort, 30);
      expect(diff(counts(), before)).toEqual([10, 10, 10]);
      const samples = await scrape(metricsPort);
      for (const e of echoes) expect(sampleValue(samples, 'upstream_connection_total', { cluster: 'upstream', host: `127.0.0.1:${e.port}` })).toBe(10);
      expect(sampleValue(samples, 'upstream_connection_total', { cluster: 'upstream' })).toBe(30);
    } finally {
      await proxy.stop();
    }
  });

  it('LB_RANDOM reaches every host', async () => {
    const [listenPort] = (await freePorts(1)) as [number];
    const proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort, upstreamPorts: echoes.map((e) => e.port), lbType: 'LB_RANDOM' }), { workers: 2 });
    try {
      const before = counts();
      await Promise.all(Array.from({ length: 60 }, () => echoRoundTrip(listenPort, PAYLOAD)));
      const spread = diff(counts(), before);
      expect(spread.reduce((a, b) => a + b, 0)).toBe(60);
      for (const n of spread) expect(n).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it('max_connect_attempts 2 retries another host when one is down; 1 does not', async () => {
    const dead = await freePort(); // nothing listens here
    const [retryPort, oncePort, metricsPort] = (await freePorts(3)) as [number, number, number];
    const hosts = [{ address: `127.0.0.1:${dead}` }, { address: `127.0.0.1:${echoes[0]!.port}` }];
    const listener = (name: string, port: number, cluster: string, attempts: number) => ({
      name,
      address: `127.0.0.1:${port}`,
      filter_chains: [{ filters: [{ type: 'tcp_proxy', config: { cluster, max_connect_attempts: attempts } }] }],
    });
    const config = {
      servers: [{ listeners: [listener('retry', retryPort, 'retry', 2), listener('once', oncePort, 'once', 1)] }],
      cluster_manager: {
        clusters: [
          { name: 'retry', lb_type: 'LB_ROUNDROBIN', hosts },
          { name: 'once', lb_type: 'LB_ROUNDROBIN', hosts },
        ],
      },
      ...observability(undefined, metricsPort),
    };
    const proxy = await ProxyProcess.start(config, { workers: 1 });
    try {
      await sequentialRoundTrips(retryPort, 10);
      let samples = await scrape(metricsPort);
      expect(sampleValue(samples, 'upstream_connection_con_fail_total', { cluster: 'retry', host: `127.0.0.1:${dead}` })).toBeGreaterThanOrEqual(5);
      expect(sampleValue(samples, 'upstream_connection_con_fail_total', { cluster: 'retry', host: `127.0.0.1:${echoes[0]!.port}` })).toBe(0);

      // one attempt: round robin alternates, so exactly half the connections are closed unanswered
      let served = 0;
      for (let i = 0; i < 10; i++) {
        const c = await HeldConnection.open(oncePort);
        c.socket.write(PAYLOAD);
        const ok = await c.read(PAYLOAD.length, 5_000).then(
          () => true,
          () => false,
        );
        if (ok) served++;
        await c.destroy();
      }
      expect(served).toBe(5);
      samples = await waitForSample(metricsPort, 'downstream_connection_active', { proxy: 'global' }, (v) => v === 0);
      expect(sampleValue(samples, 'upstream_connection_con_fail_total', { cluster: 'once', host: `127.0.0.1:${dead}` })).toBe(5);
    } finally {
      await proxy.stop();
    }
  });
});

describe('tcp_proxy routes (loopback addresses 127.0.0.x)', () => {
  let proxy: ProxyProcess;
  let onTwo: number; // listener on 127.0.0.2
  let onOne: number; // listener on 127.0.0.1
  let fixedPort: number;
  let noRoutePort: number;

  beforeAll(async () => {
    [onTwo, onOne, fixedPort, noRoutePort] = (await freePorts(4)) as [number, number, number, number];
    const routes = [
      { Cluster: 'by_source', SourceAddrs: [{ Address: '127.0.0.3', Length: 32 }] },
      { Cluster: 'by_destination', DestinationAddrs: [{ Address: '127.0.0.2', Length: 32 }] },
      { Cluster: 'by_port', DestinationPort: `${onOne}` },
    ];
    const listener = (name: string, address: string, config: Record<string, unknown>) => ({
      name,
      address,
      filter_chains: [{ filters: [{ type: 'tcp_proxy', config }] }],
    });
    const config = {
      servers: [
        {
          listeners: [
            listener('two', `127.0.0.2:${onTwo}`, { routes }),
            listener('one', `127.0.0.1:${onOne}`, { routes }),
            // `cluster` set: routes are not consulted (MOSN)
            listener('fixed', `127.0.0.1:${fixedPort}`, { cluster: 'by_port', routes }),
            listener('none', `127.0.0.1:${noRoutePort}`, { routes: [{ Cluster: 'by_source', SourceAddrs: [{ Address: '10.0.0.0', Length: 8 }] }] }),
          ],
        },
      ],
      cluster_manager: {
        clusters: [
          { name: 'by_source', hosts: [{ address: `127.0.0.1:${echoes[0]!.port}` }] },
          { name: 'by_destination', hosts: [{ address: `127.0.0.1:${echoes[1]!.port}` }] },
          { name: 'by_port', hosts: [{ address: `127.0.0.1:${echoes[2]!.port}` }] },
        ],
      },
    };
    proxy = await ProxyProcess.start(config, { workers: 1 });
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  /** One echo through `host:port` from `localAddress`; returns which upstream served it. */
  async function servedBy(host: string, port: number, localAddress = '127.0.0.1'): Promise<number> {
    const before = counts();
    const got = await within(
      'routed round trip',
      10_000,
      new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const c = net.connect({ host, port, localAddress, allowHalfOpen: true }, () => c.end(PAYLOAD));
        c.on('data', (d: Buffer) => chunks.push(d));
        c.on('end', () => {
          c.destroy();
          resolve(Buffer.concat(chunks));
        });
        c.on('error', reject);
      }),
    );
    expect(sha256(got)).toBe(sha256(PAYLOAD));
    const d = diff(counts(), before);
    expect(d.reduce((a, b) => a + b, 0)).toBe(1);
    return d.indexOf(1);
  }

  it('source address wins first (first matching route)', async () => {
    expect(await servedBy('127.0.0.2', onTwo, '127.0.0.3')).toBe(0);
    expect(await servedBy('127.0.0.1', onOne, '127.0.0.3')).toBe(0);
  });

  it('destination address', async () => {
    expect(await servedBy('127.0.0.2', onTwo)).toBe(1);
  });

  it('destination port', async () => {
    expect(await servedBy('127.0.0.1', onOne)).toBe(2);
  });

  it('a fixed cluster ignores routes', async () => {
    expect(await servedBy('127.0.0.1', fixedPort, '127.0.0.3')).toBe(2);
  });

  it('no matching route: the connection is closed', async () => {
    const c = await HeldConnection.open(noRoutePort);
    await within('closed without a route', 5_000, c.closed);
  });
});
