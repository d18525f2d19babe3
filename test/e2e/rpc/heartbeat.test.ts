// Heartbeats from a client are answered by the proxy itself, byte for byte as MOSN does, and
// never reach the upstream (a recording raw upstream proves it); downstream_heartbeat_total counts
// exactly the heartbeats sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { anyServiceRoute, rpcConfig } from '../../helpers/rpc-config.ts';
import { boltHeartbeat, boltRequest, dubboHeartbeat, dubboRequest } from '../../helpers/rpc-frames.ts';
import { RawRpcClient, RawRpcUpstream } from '../../helpers/rpc-wire.ts';
import { decodeSofaResponses, sofaHeartbeatFrame } from '../../helpers/sofa-rpc.ts';

/** MOSN's ack: a Bolt v1 response, cmdcode 0 (heartbeat), same id and codec, status 0, no payload. */
function expectedBoltAck(id: number): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 1; // proto
  b[1] = 0; // type: response
  b.writeUInt16BE(0, 2); // cmdcode: heartbeat
  b[4] = 1; // ver2
  b.writeUInt32BE(id, 5);
  b[9] = 1; // codec: hessian2, as in the request
  return b; // status 0, class/header/content lengths 0
}

/** MOSN's Dubbo reply: flag 0x22 (event | hessian2), status 20, the same 8 id bytes, body "NN". */
function expectedDubboAck(idBytes: Buffer): Buffer {
  const b = Buffer.alloc(18);
  b[0] = 0xda;
  b[1] = 0xbb;
  b[2] = 0x22;
  b[3] = 20;
  idBytes.copy(b, 4);
  b.writeUInt32BE(2, 12);
  b.write('NN', 16, 'latin1');
  return b;
}

describe('RPC heartbeats are answered by the proxy', () => {
  let boltUpstream: RawRpcUpstream;
  let dubboUpstream: RawRpcUpstream;
  let proxy: ProxyProcess;
  let quiet: RawRpcUpstream;
  let boltPort: number;
  let dubboPort: number;
  let keepalivePort: number;
  let metricsPort: number;

  beforeAll(async () => {
    boltUpstream = await RawRpcUpstream.start('bolt');
    dubboUpstream = await RawRpcUpstream.start('dubbo');
    quiet = await RawRpcUpstream.start('bolt');
    [boltPort, dubboPort, keepalivePort, metricsPort] = (await freePorts(4)) as [number, number, number, number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'hb_bolt', port: boltPort, protocol: 'bolt', routes: [anyServiceRoute('bolt_up')] },
          { name: 'hb_dubbo', port: dubboPort, protocol: 'dubbo', routes: [anyServiceRoute('dubbo_up')] },
          { name: 'hb_keepalive', port: keepalivePort, protocol: 'bolt', routes: [anyServiceRoute('quiet_up')] },
        ],
        clusters: [
          { name: 'bolt_up', ports: [boltUpstream.port] },
          { name: 'dubbo_up', ports: [dubboUpstream.port] },
          { name: 'quiet_up', ports: [quiet.port], keepalive: { interval: '100ms', timeout: '50ms' } },
        ],
        metricsPort,
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([boltUpstream?.close(), dubboUpstream?.close(), quiet?.close()]);
  });

  it('answers Bolt heartbeats locally with the same id; only the real request reaches the upstream', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const ids = [1, 2, 0x7fff_ffff, 0xffff_fffe];
      await c.write(Buffer.concat(ids.map((id) => boltHeartbeat(id))));
      // sofa-bolt-node's own heartbeat bytes, and what it makes of the ack
      await c.write(sofaHeartbeatFrame(99));
      const acks = await c.waitFrames(5);
      ids.forEach((id, i) => expect(acks[i]!.raw.equals(expectedBoltAck(id))).toBe(true));
      expect(acks[4]!.raw.equals(expectedBoltAck(99))).toBe(true);
      const seen = decodeSofaResponses(acks[4]!.raw);
      expect(seen.map((p) => [p.packetType, p.packetId])).toEqual([['heartbeat_ack', 99]]);
      // a real request afterwards: it is the first and only frame the upstream ever sees
      await c.write(boltRequest({ id: 5, headers: { service: 'com.test.S:1.0' } }));
      const [, , , , , reply] = await c.waitFrames(6);
      expect(reply!.id).toBe(5);
      expect(reply!.status).toBe(0);
      expect(boltUpstream.received.map((r) => r.frame.cmdCode)).toEqual([1]);
      await window.close();
      expect(window.delta('downstream_heartbeat_total', { listener: 'hb_bolt' })).toBe(5);
      expect(window.delta('downstream_request_total', { listener: 'hb_bolt' })).toBe(1);
    } finally {
      c.destroy();
    }
  });

  it('answers Dubbo heartbeats locally with the same 8 id bytes; only the real request reaches the upstream', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(dubboPort, 'dubbo');
    try {
      // dubbo2.js sends id 0; ids above 2^32 must come back exactly
      const ids = [0, 7, 2 ** 40 + 3];
      await c.write(Buffer.concat(ids.map((id) => dubboHeartbeat(id))));
      const acks = await c.waitFrames(3);
      for (let i = 0; i < ids.length; i++) {
        const sent = dubboHeartbeat(ids[i]!);
        expect(acks[i]!.raw.equals(expectedDubboAck(sent.subarray(4, 12)))).toBe(true);
      }
      await c.write(dubboRequest(11, 'org.test.Svc', 'call'));
      const [, , , reply] = await c.waitFrames(4);
      expect(reply!.id).toBe(11);
      expect(reply!.status).toBe(20);
      expect(dubboUpstream.received.map((r) => r.frame.type & 0x20)).toEqual([0]);
      await window.close();
      expect(window.delta('downstream_heartbeat_total', { listener: 'hb_dubbo' })).toBe(3);
      expect(window.delta('downstream_request_total', { listener: 'hb_dubbo' })).toBe(1);
    } finally {
      c.destroy();
    }
  });

  it("answers an upstream's heartbeat on the upstream connection and keeps it from clients", async () => {
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      await c.write(boltRequest({ id: 1, headers: { service: 'com.test.S:1.0' } }));
      await c.waitFrames(1);
      const upstreamSide = boltUpstream.requests().at(-1)!.socket;
      const acks: Buffer[] = [];
      const gotAck = new Promise<void>((resolve) =>
        upstreamSide.prependListener('data', (d: Buffer) => {
          acks.push(d);
          if (Buffer.concat(acks).length >= 20) resolve();
        }),
      );
      upstreamSide.write(boltHeartbeat(0x5eed));
      await gotAck;
      expect(Buffer.concat(acks).equals(expectedBoltAck(0x5eed))).toBe(true);
      // the client saw only its own answer
      await c.write(boltRequest({ id: 2, headers: { service: 'com.test.S:1.0' } }));
      const frames = await c.waitFrames(2);
      expect(frames.map((f) => f.id)).toEqual([1, 2]);
    } finally {
      c.destroy();
    }
  });

  it('sends keepalive heartbeats on an idle upstream connection and closes it after six unanswered ones', async () => {
    quiet.decide = () => 'hold'; // answers nothing, heartbeats included
    const c = await RawRpcClient.connect(keepalivePort, 'bolt');
    try {
      await c.write(boltRequest({ id: 1, headers: { service: 's' }, timeout: 50 }));
      const [timedOut] = await c.waitFrames(1);
      expect(timedOut!.status).toBe(7);
      const upstreamSide = quiet.received[0]!.socket;
      await new Promise<void>((resolve) => (upstreamSide.closed ? resolve() : upstreamSide.once('close', () => resolve())));
      const heartbeats = quiet.received.filter((r) => r.frame.cmdCode === 0);
      expect(heartbeats).toHaveLength(6);
      expect(heartbeats.every((h) => h.frame.type === 1 && h.frame.timeout === -1)).toBe(true);
      // the proxy numbers them from its own id space, never reusing the request's id 1
      expect(new Set(heartbeats.map((h) => h.frame.id)).has(1)).toBe(false);
    } finally {
      c.destroy();
    }
  });
});
