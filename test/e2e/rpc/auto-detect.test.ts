// One "Auto" listener serving HTTP/1, SOFARPC Bolt and Dubbo at once, detection failures
// (unknown bytes, an HTTP/2 preface), fallback_for_unknown_protocol into a tcp_proxy, and a
// comma-listed downstream_protocol that refuses HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dubboConsumer, startDubboProvider, type DubboConsumer, type RunningDubboProvider } from '../../helpers/dubbo-rpc.ts';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { rpcConfig, type RpcRouteSpec } from '../../helpers/rpc-config.ts';
import { RawRpcClient } from '../../helpers/rpc-wire.ts';
import { sofaClient, startSofaServer, type RunningSofaServer, type SofaCaller } from '../../helpers/sofa-rpc.ts';
import { echoRoundTrip, patternBytes, sha256, startEchoServer, type EchoServer } from '../../helpers/tcp-peers.ts';

const SOFA_SERVICE = 'com.sofa.test.Calc';
const DUBBO_SERVICE = 'org.dubbo.test.Hello';

const routes: RpcRouteSpec[] = [
  { prefix: '/', headers: [], cluster: 'web' },
  { headers: [{ name: 'service', value: '^com\\.sofa\\.', regex: true }], cluster: 'sofa' },
  { headers: [{ name: 'service', value: '^org\\.dubbo\\.', regex: true }], cluster: 'dubbo' },
];

describe('protocol detection on one listener', () => {
  let web: http.Server;
  let webPort: number;
  let sofa: RunningSofaServer;
  let dubbo: RunningDubboProvider;
  let echo: EchoServer;
  let proxy: ProxyProcess;
  let autoPort: number;
  let fallbackPort: number;
  let rpcOnlyPort: number;
  let metricsPort: number;
  let client: SofaCaller;
  const dubboClients: DubboConsumer[] = [];

  beforeAll(async () => {
    web = http.createServer((req, res) => res.end(`web saw ${req.method} ${req.url}`));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    webPort = (web.address() as AddressInfo).port;
    sofa = await startSofaServer([{ interfaceName: SOFA_SERVICE, methods: { plus: async (a: number, b: number) => a + b } }]);
    dubbo = await startDubboProvider([{ dubboInterface: DUBBO_SERVICE, methods: { sayHello: (n: string) => `hello ${n}` } }]);
    echo = await startEchoServer();
    [autoPort, fallbackPort, rpcOnlyPort, metricsPort] = (await freePorts(4)) as [number, number, number, number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'auto_in', port: autoPort, protocol: 'Auto', routes },
          { name: 'fallback_in', port: fallbackPort, protocol: 'Auto', routes, fallbackForUnknownProtocol: true, tcpProxyCluster: 'echo' },
          { name: 'rpc_only', port: rpcOnlyPort, protocol: 'bolt,dubbo', routes },
        ],
        clusters: [
          { name: 'web', ports: [webPort] },
          { name: 'sofa', ports: [sofa.port] },
          { name: 'dubbo', ports: [dubbo.port] },
          { name: 'echo', ports: [echo.port] },
        ],
        metricsPort,
      }),
    );
    client = sofaClient();
  });

  afterAll(async () => {
    for (const d of dubboClients) d.close();
    await client?.close();
    await proxy?.stop();
    await Promise.all([sofa?.close(), dubbo?.close(), echo?.close(), new Promise((r) => web?.close(r))]);
  });

  const dubboOn = (port: number): DubboConsumer => {
    const d = dubboConsumer(port);
    dubboClients.push(d);
    return d;
  };

  it('serves HTTP/1, Bolt and Dubbo on the same Auto listener at the same time', async () => {
    const window = await MetricWindow.open(metricsPort);
    const calc = await client.consumer(SOFA_SERVICE, autoPort);
    const d = dubboOn(autoPort);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      work.push(fetch(`http://127.0.0.1:${autoPort}/item/${i}`).then(async (r) => expect(await r.text()).toBe(`web saw GET /item/${i}`)));
      work.push(calc.invoke('plus', [i, 1]).then((v) => expect(v).toBe(i + 1)));
      work.push(d.call({ dubboInterface: DUBBO_SERVICE }, 'sayHello', `n${i}`).then((r) => expect(r).toEqual({ res: `hello n${i}`, err: null })));
    }
    await Promise.all(work);
    await window.close();
    expect(window.delta('downstream_request_total', { listener: 'auto_in' })).toBe(60);
    expect(window.delta('downstream_protocol_error_total', { listener: 'auto_in' })).toBe(0);
  });

  it('closes a connection whose first bytes no protocol claims, and counts it', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(autoPort, 'bolt');
    await c.write(Buffer.from('\x00\x07garbage that is no protocol', 'latin1'));
    await c.waitClosed();
    expect(c.received.length).toBe(0);
    await window.settle('downstream_protocol_error_total', { listener: 'auto_in' }, (d) => d === 1);
    expect(window.delta('downstream_protocol_error_total', { listener: 'auto_in' })).toBe(1);
  });

  it('closes an HTTP/2 prior-knowledge preface (no HTTP/2 here), and counts it', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(autoPort, 'bolt');
    await c.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'));
    await c.waitClosed();
    expect(c.received.length).toBe(0);
    await window.settle('downstream_protocol_error_total', { listener: 'auto_in' }, (d) => d === 1);
    expect(window.delta('downstream_protocol_error_total', { listener: 'auto_in' })).toBe(1);
  });

  it('fallback_for_unknown_protocol hands unknown bytes to the tcp_proxy after it, intact', async () => {
    const window = await MetricWindow.open(metricsPort);
    for (const size of [1, 100, 1 << 20]) {
      const payload = patternBytes(size, size);
      payload[0] = 0x00; // no protocol starts with a zero byte
      const got = await echoRoundTrip(fallbackPort, payload);
      expect(got.bytes).toBe(size);
      expect(got.hash).toBe(sha256(payload));
    }
    // a known protocol on the same listener still goes to the proxy
    const calc = await client.consumer(SOFA_SERVICE, fallbackPort);
    expect(await calc.invoke('plus', [2, 3])).toBe(5);
    await window.close();
    expect(window.delta('downstream_protocol_error_total', { listener: 'fallback_in' })).toBe(0);
  });

  it('a "bolt,dubbo" listener serves both RPC protocols and refuses HTTP', async () => {
    const window = await MetricWindow.open(metricsPort);
    const calc = await client.consumer(SOFA_SERVICE, rpcOnlyPort);
    expect(await calc.invoke('plus', [40, 2])).toBe(42);
    expect(await dubboOn(rpcOnlyPort).call({ dubboInterface: DUBBO_SERVICE }, 'sayHello', 'csv')).toEqual({ res: 'hello csv', err: null });
    const c = await RawRpcClient.connect(rpcOnlyPort, 'bolt');
    await c.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    await c.waitClosed();
    expect(c.received.length).toBe(0);
    await window.settle('downstream_protocol_error_total', { listener: 'rpc_only' }, (d) => d === 1);
    expect(window.delta('downstream_protocol_error_total', { listener: 'rpc_only' })).toBe(1);
    expect(window.delta('downstream_request_total', { listener: 'rpc_only' })).toBe(2);
  });
});
