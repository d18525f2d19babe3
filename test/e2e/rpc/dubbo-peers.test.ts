// dubbo2.js consumer -> mosn-ts -> apache-dubbo-service provider: calls, concurrency on one
// connection, routing on service/method/version, group on an egress_dubbo listener (which reads
// the attachments), and a Dubbo error reply for an unrouted service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dubboConsumer, startDubboProvider, type DubboConsumer, type RunningDubboProvider } from '../../helpers/dubbo-rpc.ts';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { anyServiceRoute, rpcConfig } from '../../helpers/rpc-config.ts';

const HELLO = 'org.mosn.test.Hello';
const CALC = 'org.mosn.test.Calc';
const GROUPED = 'org.mosn.test.Grouped';

describe('Dubbo through mosn-ts with dubbo2.js and apache-dubbo-service', () => {
  let p1: RunningDubboProvider;
  let p2: RunningDubboProvider;
  let proxy: ProxyProcess;
  let plainPort: number;
  let routedPort: number;
  let groupPort: number;
  let metricsPort: number;
  const consumers: DubboConsumer[] = [];
  const consumer = (port: number): DubboConsumer => {
    const c = dubboConsumer(port);
    consumers.push(c);
    return c;
  };

  beforeAll(async () => {
    p1 = await startDubboProvider([
      { dubboInterface: HELLO, methods: { sayHello: (name: string) => `p1:hello ${name}` } },
      { dubboInterface: CALC, methods: { op: () => 'p1:op', mul: () => 'p1:mul' } },
      { dubboInterface: GROUPED, group: 'ga', methods: { who: () => 'p1:ga' } },
    ]);
    p2 = await startDubboProvider([
      { dubboInterface: HELLO, version: '2.0.0', methods: { sayHello: (name: string) => `p2:hello ${name}` } },
      { dubboInterface: CALC, methods: { op: () => 'p2:op', mul: () => 'p2:mul' } },
      { dubboInterface: GROUPED, group: 'gb', methods: { who: () => 'p2:gb' } },
    ]);
    let adminPort: number;
    [plainPort, routedPort, groupPort, metricsPort, adminPort] = (await freePorts(5)) as [number, number, number, number, number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'dubbo_in', port: plainPort, protocol: 'dubbo', routes: [anyServiceRoute('p1')] },
          {
            name: 'dubbo_routed',
            port: routedPort,
            protocol: 'dubbo',
            routes: [
              {
                headers: [
                  { name: 'service', value: HELLO },
                  { name: 'version', value: '2.0.0' },
                ],
                cluster: 'p2',
              },
              {
                headers: [
                  { name: 'service', value: CALC },
                  { name: 'method', value: 'mul' },
                ],
                cluster: 'p2',
              },
              { headers: [{ name: 'service', value: '^org\\.mosn\\.test\\.', regex: true }], cluster: 'p1' },
            ],
          },
          {
            name: 'egress_dubbo',
            port: groupPort,
            protocol: 'dubbo',
            routes: [
              { headers: [{ name: 'group', value: 'ga' }], cluster: 'p1' },
              { headers: [{ name: 'group', value: 'gb' }], cluster: 'p2' },
            ],
          },
        ],
        clusters: [
          { name: 'p1', ports: [p1.port] },
          { name: 'p2', ports: [p2.port] },
        ],
        adminPort,
        metricsPort,
      }),
    );
  });

  afterAll(async () => {
    for (const c of consumers) c.close();
    await proxy?.stop();
    await Promise.all([p1?.close(), p2?.close()]);
  });

  it('relays calls and their answers', async () => {
    const c = consumer(plainPort);
    expect(await c.call({ dubboInterface: HELLO }, 'sayHello', 'ann')).toEqual({ res: 'p1:hello ann', err: null });
    expect(await c.call({ dubboInterface: CALC }, 'op')).toEqual({ res: 'p1:op', err: null });
  });

  it('carries 500 concurrent calls on one connection, each answer to its own call', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = consumer(plainPort);
    const n = 500;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => c.call({ dubboInterface: HELLO }, 'sayHello', `n${i}`)));
    results.forEach((r, i) => expect(r).toEqual({ res: `p1:hello n${i}`, err: null }));
    await window.close();
    expect(window.delta('downstream_connection_total', { listener: 'dubbo_in' })).toBe(1);
    expect(window.delta('downstream_request_total', { listener: 'dubbo_in' })).toBe(n);
    expect(window.delta('upstream_request_total', { cluster: 'p1', host: `127.0.0.1:${p1.port}` })).toBe(n);
    // the provider sees the proxy's one multiplexed connection, opened by the first test
    expect(p1.connections).toBe(1);
  });

  it('routes on service + version and on service + method', async () => {
    const c = consumer(routedPort);
    expect(await c.call({ dubboInterface: HELLO }, 'sayHello', 'x')).toEqual({ res: 'p1:hello x', err: null });
    expect(await c.call({ dubboInterface: HELLO, version: '2.0.0' }, 'sayHello', 'y')).toEqual({ res: 'p2:hello y', err: null });
    expect(await c.call({ dubboInterface: CALC }, 'op')).toEqual({ res: 'p1:op', err: null });
    expect(await c.call({ dubboInterface: CALC }, 'mul')).toEqual({ res: 'p2:mul', err: null });
  });

  it('routes on the group attachment on a listener named egress_dubbo', async () => {
    const c = consumer(groupPort);
    expect(await c.call({ dubboInterface: GROUPED, group: 'ga' }, 'who')).toEqual({ res: 'p1:ga', err: null });
    expect(await c.call({ dubboInterface: GROUPED, group: 'gb' }, 'who')).toEqual({ res: 'p2:gb', err: null });
  });

  it('answers a call to an unrouted service with a Dubbo error, not a hang', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = consumer(routedPort);
    const started = Date.now();
    const r = await c.call({ dubboInterface: 'com.elsewhere.Unknown' }, 'anything');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.res).toBeNull();
    expect(String(r.err?.message)).toMatch(/404\|router unavailable/);
    // the connection stays usable after the error reply
    expect(await c.call({ dubboInterface: CALC }, 'op')).toEqual({ res: 'p1:op', err: null });
    await window.close();
    expect(window.delta('downstream_request_failed_total', { listener: 'dubbo_routed' })).toBe(1);
    expect(window.delta('downstream_request_total', { listener: 'dubbo_routed' })).toBe(2);
  });
});
