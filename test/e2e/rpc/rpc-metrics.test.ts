// Exact metric deltas for RPC traffic spread over several connections and two workers: every
// request, heartbeat, protocol error, upstream request and byte is counted once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { rpcConfig } from '../../helpers/rpc-config.ts';
import { boltHeartbeat, boltRequest, dubboFrame, dubboHeartbeat, dubboRequest } from '../../helpers/rpc-frames.ts';
import { RawRpcClient, RawRpcUpstream } from '../../helpers/rpc-wire.ts';

describe('RPC metrics', () => {
  let ok: RawRpcUpstream;
  let held: RawRpcUpstream;
  let dubboUp: RawRpcUpstream;
  let proxy: ProxyProcess;
  let boltPort: number;
  let dubboPort: number;
  let idlePort: number;
  let metricsPort: number;

  beforeAll(async () => {
    ok = await RawRpcUpstream.start('bolt');
    held = await RawRpcUpstream.start('bolt');
    held.decide = (r) => (r.frame.cmdCode === 1 ? 'hold' : 'answer');
    dubboUp = await RawRpcUpstream.start('dubbo');
    [boltPort, dubboPort, idlePort, metricsPort] = (await freePorts(4)) as [number, number, number, number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          {
            name: 'm_bolt',
            port: boltPort,
            protocol: 'bolt',
            routes: [
              { headers: [{ name: 'service', value: 'ok' }], cluster: 'ok' },
              { headers: [{ name: 'service', value: 'held' }], cluster: 'held' },
            ],
          },
          { name: 'm_dubbo', port: dubboPort, protocol: 'dubbo', routes: [{ headers: [{ name: 'service', value: '.*' }], cluster: 'dubbo_up' }] },
          {
            name: 'm_idle',
            port: idlePort,
            protocol: 'bolt',
            connectionIdleTimeout: '300ms',
            routes: [{ headers: [{ name: 'service', value: '.*' }], cluster: 'ok' }],
          },
        ],
        clusters: [
          { name: 'ok', ports: [ok.port] },
          { name: 'held', ports: [held.port] },
          { name: 'dubbo_up', ports: [dubboUp.port] },
        ],
        metricsPort,
      }),
      { workers: 2 },
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([ok?.close(), held?.close(), dubboUp?.close()]);
  });

  it('Bolt: requests, failures, heartbeats, protocol errors, upstream requests and bytes, exactly', async () => {
    const window = await MetricWindow.open(metricsPort);
    const okHost = { cluster: 'ok', host: `127.0.0.1:${ok.port}` };
    const heldHost = { cluster: 'held', host: `127.0.0.1:${held.port}` };
    const clients = await Promise.all([1, 2, 3].map(() => RawRpcClient.connect(boltPort, 'bolt')));
    let sent = 0;
    const send = async (c: RawRpcClient, bytes: Buffer) => {
      sent += bytes.length;
      await c.write(bytes);
    };
    try {
      // 7 answered requests over three connections (two workers)
      for (let i = 0; i < 7; i++) await send(clients[i % 3]!, boltRequest({ id: i + 1, headers: { service: 'ok' } }));
      await Promise.all([clients[0]!.waitFrames(3), clients[1]!.waitFrames(2), clients[2]!.waitFrames(2)]);
      // a timeout, a header map that does not decode, a request no route takes, two heartbeats
      const c = clients[0]!;
      await send(c, boltRequest({ id: 100, headers: { service: 'held' }, timeout: 100 }));
      await send(c, boltRequest({ id: 101, rawHeaderMap: Buffer.from([0, 0, 0, 9, 0x61]) }));
      await send(c, boltRequest({ id: 102, headers: { service: 'nowhere' } }));
      await send(c, Buffer.concat([boltHeartbeat(103), boltHeartbeat(104)]));
      const replies = (await c.waitFrames(3 + 5)).slice(3);
      expect(replies.map((f) => [f.id, f.status]).sort((a, b) => a[0]! - b[0]!)).toEqual([
        [100, 7],
        [101, 9],
        [102, 6],
        [103, 0],
        [104, 0],
      ]);
      // a connection with bytes that are not Bolt
      const bad = await RawRpcClient.connect(boltPort, 'bolt');
      const garbage = Buffer.from('\x07not bolt at all, 27 bytes', 'latin1');
      await bad.write(garbage);
      sent += garbage.length;
      await bad.waitClosed();
      for (const cl of clients) cl.destroy();
      await window.settle('downstream_connection_active', { listener: 'm_bolt' }, (_d, active) => active === 0);
      const received = clients.reduce((n, cl) => n + cl.received.length, 0);
      const L = { listener: 'm_bolt' };
      expect(window.delta('downstream_connection_total', L)).toBe(4);
      expect(window.delta('downstream_request_total', L)).toBe(10);
      expect(window.delta('downstream_request_failed_total', L)).toBe(3);
      expect(window.delta('downstream_request_duration_seconds_count', L)).toBe(10);
      expect(window.delta('downstream_response_2xx_total', L)).toBe(7);
      expect(window.delta('downstream_response_4xx_total', L)).toBe(2); // codec error 400, no route 404
      expect(window.delta('downstream_response_5xx_total', L)).toBe(1); // timeout 504
      expect(window.delta('downstream_heartbeat_total', L)).toBe(2);
      expect(window.delta('downstream_protocol_error_total', L)).toBe(2);
      expect(window.delta('downstream_bytes_read_total', L)).toBe(sent);
      expect(window.delta('downstream_bytes_write_total', L)).toBe(received);
      expect(window.value('downstream_request_active', L)).toBe(0);
      expect(window.delta('upstream_request_total', okHost)).toBe(7);
      expect(window.delta('upstream_request_duration_seconds_count', okHost)).toBe(7);
      expect(window.delta('upstream_response_success_total', okHost)).toBe(7);
      expect(window.delta('upstream_request_total', heldHost)).toBe(1);
      expect(window.delta('upstream_request_duration_seconds_count', heldHost)).toBe(0);
      expect(window.delta('upstream_request_timeout_total', heldHost)).toBe(1);
      expect(window.value('upstream_request_active', okHost)).toBe(0);
      expect(window.value('upstream_request_active', heldHost)).toBe(0);
      // the same, summed over listeners and over hosts
      expect(window.delta('upstream_request_total', { cluster: 'ok' })).toBe(7);
    } finally {
      for (const cl of clients) cl.destroy();
    }
  });

  it('Dubbo: requests, heartbeats and protocol errors, exactly', async () => {
    const window = await MetricWindow.open(metricsPort);
    const host = { cluster: 'dubbo_up', host: `127.0.0.1:${dubboUp.port}` };
    const a = await RawRpcClient.connect(dubboPort, 'dubbo');
    const b = await RawRpcClient.connect(dubboPort, 'dubbo');
    try {
      for (let i = 0; i < 5; i++) await (i % 2 ? a : b).write(dubboRequest(i + 1, 'org.test.S', 'm'));
      await a.write(Buffer.concat([dubboHeartbeat(50), dubboHeartbeat(51)]));
      await b.write(dubboHeartbeat(52));
      await b.write(dubboFrame(0xc2, 0, 53, Buffer.from([0x7f, 0x7f]))); // not Hessian
      await Promise.all([a.waitFrames(2 + 2), b.waitFrames(3 + 2)]);
      await window.close();
      const L = { listener: 'm_dubbo' };
      expect(window.delta('downstream_request_total', L)).toBe(6);
      expect(window.delta('downstream_request_failed_total', L)).toBe(1);
      expect(window.delta('downstream_heartbeat_total', L)).toBe(3);
      expect(window.delta('downstream_protocol_error_total', L)).toBe(1);
      expect(window.delta('upstream_request_total', host)).toBe(5);
      expect(window.delta('upstream_request_duration_seconds_count', host)).toBe(5);
      expect(dubboUp.requests().length).toBeGreaterThanOrEqual(5);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('oneway requests are forwarded and counted, and never answered', async () => {
    const window = await MetricWindow.open(metricsPort);
    const okHost = { cluster: 'ok', host: `127.0.0.1:${ok.port}` };
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const before = ok.requests().length;
      await c.write(Buffer.concat([boltRequest({ id: 1, type: 2, headers: { service: 'ok' } }), boltRequest({ id: 2, type: 2, headers: { service: 'ok' } })]));
      const got = (await ok.waitRequests(before + 2)).slice(before);
      expect(got.map((r) => r.frame.type)).toEqual([2, 2]);
      // a two-way request after them: its answer is the first frame the client gets
      await c.write(boltRequest({ id: 3, headers: { service: 'ok' } }));
      const [first] = await c.waitFrames(1);
      expect(first!.id).toBe(3);
      await window.close();
      expect(window.delta('downstream_request_total', { listener: 'm_bolt' })).toBe(3);
      expect(window.delta('upstream_request_total', okHost)).toBe(3);
      expect(window.value('downstream_request_active', { listener: 'm_bolt' })).toBe(0);
    } finally {
      c.destroy();
    }
  });

  it('connection_idle_timeout closes an idle RPC connection and counts it', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(idlePort, 'bolt');
    const t0 = performance.now();
    await c.write(boltRequest({ id: 1, headers: { service: 'ok' } }));
    await c.waitFrames(1);
    await c.waitClosed(5_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    await window.settle('downstream_connection_active', { listener: 'm_idle' }, (_d, active) => active === 0);
    expect(window.delta('downstream_connection_idle_timeout_total', { listener: 'm_idle' })).toBe(1);
    expect(window.delta('downstream_connection_total', { listener: 'm_idle' })).toBe(1);
  });
});
