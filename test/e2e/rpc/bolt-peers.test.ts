// sofa-rpc-node client -> mosn-ts -> sofa-rpc-node server, over SOFA Bolt: plain calls, 1 000
// concurrent calls on one connection, 4 MiB both ways, an egress -> ingress sidecar pair, and
// routing on the `service` header (exact, regex, version) and on a method header.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { anyServiceRoute, rpcConfig } from '../../helpers/rpc-config.ts';
import { boltContentOf, boltRequest } from '../../helpers/rpc-frames.ts';
import { RawRpcClient } from '../../helpers/rpc-wire.ts';
import { within } from '../../helpers/wait.ts';
import {
  decodeSofaResponses,
  sofaClient,
  sofaRequestFrame,
  startSofaServer,
  type RunningSofaServer,
  type SofaCaller,
} from '../../helpers/sofa-rpc.ts';

const CALC = 'com.mosn.test.Calc';
const ECHO = 'com.mosn.test.Echo';
const ORDERS = 'com.mosn.test.OrderService';
const USERS = 'com.mosn.test.UserService';

describe('SOFARPC Bolt through mosn-ts with real sofa-rpc-node peers', () => {
  let serverA: RunningSofaServer;
  let serverB: RunningSofaServer;
  let proxy: ProxyProcess;
  let egress: ProxyProcess;
  let ingress: ProxyProcess;
  let client: SofaCaller;
  let boltPort: number;
  let boltV2Port: number;
  let routedPort: number;
  let metricsPort: number;
  let egressPort: number;
  let ingressPort: number;
  let egressMetrics: number;
  let ingressMetrics: number;

  beforeAll(async () => {
    serverA = await startSofaServer([
      { interfaceName: CALC, methods: { plus: async (a: number, b: number) => a + b, where: async () => 'A' } },
      { interfaceName: ECHO, methods: { echo: async (s: string) => `${s}|${s.length}` } },
      { interfaceName: ORDERS, methods: { where: async () => 'A:orders' } },
      { interfaceName: USERS, version: '1.0', methods: { where: async () => 'A:users-1.0', minus: async (a: number, b: number) => a - b } },
    ]);
    serverB = await startSofaServer([
      { interfaceName: USERS, version: '1.0', methods: { where: async () => 'B:users-1.0', minus: async (a: number, b: number) => 1000 + a - b } },
      { interfaceName: USERS, version: '2.0', methods: { where: async () => 'B:users-2.0' } },
      { interfaceName: `${USERS}Admin`, methods: { where: async () => 'B:admin' } },
    ]);
    let adminPort: number;
    [boltPort, routedPort, metricsPort, adminPort, egressPort, ingressPort, egressMetrics, ingressMetrics, boltV2Port] = (await freePorts(9)) as [
      number, number, number, number, number, number, number, number, number,
    ];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'bolt_in', port: boltPort, protocol: 'bolt', routes: [anyServiceRoute('app_a')] },
          { name: 'boltv2_in', port: boltV2Port, protocol: 'boltv2', routes: [anyServiceRoute('app_a')] },
          {
            name: 'bolt_routed',
            port: routedPort,
            protocol: 'bolt',
            routes: [
              // method header (sofa_head_method_name) and service ANDed, before the service-only rules
              {
                headers: [
                  { name: 'service', value: `${USERS}:1.0` },
                  { name: 'sofa_head_method_name', value: 'minus' },
                ],
                cluster: 'app_b',
              },
              { headers: [{ name: 'service', value: `${ORDERS}:1.0` }], cluster: 'app_a' },
              { headers: [{ name: 'service', value: `${USERS}:1.0` }], cluster: 'app_a' },
              { headers: [{ name: 'service', value: `${USERS}:2.0` }], cluster: 'app_b' },
              { headers: [{ name: 'service', value: '^com\\.mosn\\.test\\.User\\w+Admin:', regex: true }], cluster: 'app_b' },
            ],
          },
        ],
        clusters: [
          { name: 'app_a', ports: [serverA.port] },
          { name: 'app_b', ports: [serverB.port] },
        ],
        adminPort,
        metricsPort,
      }),
    );
    ingress = await ProxyProcess.start(
      rpcConfig({
        listeners: [{ name: 'ingress_bolt', port: ingressPort, protocol: 'bolt', routes: [anyServiceRoute('local_app')] }],
        clusters: [{ name: 'local_app', ports: [serverA.port] }],
        metricsPort: ingressMetrics,
      }),
    );
    egress = await ProxyProcess.start(
      rpcConfig({
        listeners: [{ name: 'egress_bolt', port: egressPort, protocol: 'bolt', routes: [anyServiceRoute('peer_sidecar')] }],
        clusters: [{ name: 'peer_sidecar', ports: [ingressPort] }],
        metricsPort: egressMetrics,
      }),
    );
    client = sofaClient();
  });

  afterAll(async () => {
    await client?.close();
    await Promise.all([proxy?.stop(), egress?.stop(), ingress?.stop()]);
    await Promise.all([serverA?.close(), serverB?.close()]);
  });

  it('relays plain calls and their answers', async () => {
    const calc = await client.consumer(CALC, boltPort);
    expect(await calc.invoke('plus', [1, 2])).toBe(3);
    expect(await calc.invoke('plus', [-40, 2])).toBe(-38);
    expect(await calc.invoke('where', [])).toBe('A');
  });

  it('carries 1 000 concurrent calls on one downstream connection, every answer to its own call', async () => {
    const caller = sofaClient();
    try {
      const window = await MetricWindow.open(metricsPort);
      const calc = await caller.consumer(CALC, boltPort);
      const n = 1000;
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => calc.invoke('plus', [i, i * 1000], { responseTimeout: 20_000 })));
      answers.forEach((a, i) => expect(a).toBe(i * 1001));
      await window.close();
      expect(window.delta('downstream_connection_total', { listener: 'bolt_in' })).toBe(1);
      expect(window.delta('downstream_request_total', { listener: 'bolt_in' })).toBe(n);
      expect(window.delta('upstream_request_total', { cluster: 'app_a', host: `127.0.0.1:${serverA.port}` })).toBe(n);
      expect(window.delta('downstream_request_failed_total', { listener: 'bolt_in' })).toBe(0);
    } finally {
      await caller.close();
    }
  });

  it('carries 4 MiB requests and 4 MiB responses intact', async () => {
    const echo = await client.consumer(ECHO, boltPort);
    for (const seed of [1, 2]) {
      const big = Array.from({ length: 4 << 20 }, (_, i) => String.fromCharCode(97 + ((i * seed * 7 + (i >> 10)) % 26))).join('');
      const got = (await echo.invoke('echo', [big], { responseTimeout: 30_000 })) as string;
      expect(got.length).toBe(big.length + 1 + String(big.length).length);
      expect(got === `${big}|${big.length}`).toBe(true);
    }
  });

  it('works through an egress -> ingress sidecar pair (two processes)', async () => {
    const e = await MetricWindow.open(egressMetrics);
    const i = await MetricWindow.open(ingressMetrics);
    const calc = await client.consumer(CALC, egressPort);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, k) => calc.invoke('plus', [k, 1])));
    answers.forEach((a, k) => expect(a).toBe(k + 1));
    await e.close();
    await i.close();
    expect(e.delta('downstream_request_total', { listener: 'egress_bolt' })).toBe(50);
    expect(e.delta('upstream_request_total', { cluster: 'peer_sidecar', host: `127.0.0.1:${ingressPort}` })).toBe(50);
    expect(i.delta('downstream_request_total', { listener: 'ingress_bolt' })).toBe(50);
    expect(i.delta('upstream_request_total', { cluster: 'local_app', host: `127.0.0.1:${serverA.port}` })).toBe(50);
    // the egress side multiplexes onto one upstream connection to the ingress
    expect(i.delta('downstream_connection_total', { listener: 'ingress_bolt' })).toBeLessThanOrEqual(1);
  });

  it('routes on the service header: exact, regex and version', async () => {
    const orders = await client.consumer(ORDERS, routedPort);
    const users1 = await client.consumer(USERS, routedPort, '1.0');
    const users2 = await client.consumer(USERS, routedPort, '2.0');
    const admin = await client.consumer(`${USERS}Admin`, routedPort);
    expect(await orders.invoke('where', [])).toBe('A:orders');
    expect(await users1.invoke('where', [])).toBe('A:users-1.0');
    expect(await users2.invoke('where', [])).toBe('B:users-2.0');
    expect(await admin.invoke('where', [])).toBe('B:admin');
  });

  it('answers an unrouted service with a Bolt error, not a hang', async () => {
    const calc = await client.consumer(CALC, routedPort);
    const started = Date.now();
    // the proxy's no-route reply (status 6, no content) is what sofa-bolt-node reports like this
    await expect(calc.invoke('plus', [1, 2], { responseTimeout: 10_000 })).rejects.toThrow(/Server exception/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('routes on a method header (sofa_head_method_name) ANDed with service', async () => {
    const c = await RawRpcClient.connect(routedPort, 'bolt');
    try {
      const call = (id: number, method: string, args: unknown[]) => {
        const sofa = sofaRequestFrame(id, { interfaceName: USERS, method, args });
        return boltRequest({
          id,
          headers: { service: `${USERS}:1.0`, sofa_head_method_name: method },
          content: Buffer.from(boltContentOf(sofa)),
        });
      };
      await c.write(Buffer.concat([call(7, 'minus', [10, 3]), call(8, 'where', [])]));
      const frames = await c.waitFrames(2);
      const byId = new Map(frames.map((f) => [f.id, decodeSofaResponses(f.raw)[0]!]));
      expect(frames.every((f) => f.status === 0)).toBe(true);
      // minus went to B (1000 + 10 - 3), where went to A by the service-only rule
      expect(byId.get(7)!.data!.appResponse).toBe(1007);
      expect(byId.get(8)!.data!.appResponse).toBe('A:users-1.0');
    } finally {
      c.destroy();
    }
  });

  it('carries Bolt v2 frames with a CRC32 trailer (sofa-bolt-node "bolt2") both ways', async () => {
    const socket = net.connect(boltV2Port, '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      const dialect = { protocolType: 'bolt2', boltVersion: 2, crcEnable: true } as const;
      const ids = [3, 0x7ffffff0];
      socket.write(Buffer.concat(ids.map((id, i) => sofaRequestFrame(id, { interfaceName: CALC, method: 'plus', args: [i, 10] }, dialect))));
      let bytes = Buffer.alloc(0);
      let packets: ReturnType<typeof decodeSofaResponses> = [];
      await within('two bolt2 responses', 10_000, new Promise<void>((resolve) => {
        socket.on('data', (d: Buffer) => {
          bytes = Buffer.concat([bytes, d]);
          packets = decodeSofaResponses(bytes);
          if (packets.length === 2) resolve();
        });
      }));
      // sofa-bolt-node checks the CRC of what it decodes: both answers passed it
      expect(packets.map((p) => [p.packetId, p.data?.appResponse, p.options?.protocolType, p.options?.crcEnable])).toEqual([
        [3, 10, 'bolt2', true],
        [0x7ffffff0, 11, 'bolt2', true],
      ]);
    } finally {
      socket.destroy();
    }
  });
});
