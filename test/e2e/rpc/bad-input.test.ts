// Hostile and odd bytes on Bolt and Dubbo listeners (reference/reliability.md §6): each case
// ends in a protocol reply with the same id (the frame decoded) or a close (framing lost), with
// an exact downstream_protocol_error_total delta; afterwards another connection still gets
// answers, the process is alive and downstream_connection_active is back to its baseline.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { anyServiceRoute, rpcConfig } from '../../helpers/rpc-config.ts';
import { boltContentOf, boltRequest, boltResponse, dubboFrame, dubboRequest, type WireFrame, type WireProtocol } from '../../helpers/rpc-frames.ts';
import { RawRpcClient, RawRpcUpstream } from '../../helpers/rpc-wire.ts';

const BOLT_NO_PROCESSOR = 6;
const BOLT_CODEC_EXCEPTION = 9;
const DUBBO_SERVICE_ERROR = 70;

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

describe('bad input on RPC listeners', () => {
  let bolt: RawRpcUpstream;
  let dubbo: RawRpcUpstream;
  let proxy: ProxyProcess;
  const port: Record<string, number> = {};
  let metricsPort: number;
  const witnesses = new Map<string, RawRpcClient>();
  let witnessId = 1_000_000;

  beforeAll(async () => {
    bolt = await RawRpcUpstream.start('bolt');
    dubbo = await RawRpcUpstream.start('dubbo');
    const ports = await freePorts(5);
    metricsPort = ports.pop()!;
    ['bad_bolt', 'bad_dubbo', 'small_bolt', 'small_dubbo'].forEach((name, i) => (port[name] = ports[i]!));
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'bad_bolt', port: port.bad_bolt!, protocol: 'bolt', routes: [anyServiceRoute('bolt_up')] },
          { name: 'bad_dubbo', port: port.bad_dubbo!, protocol: 'dubbo', routes: [anyServiceRoute('dubbo_up')] },
          {
            name: 'small_bolt',
            port: port.small_bolt!,
            protocol: 'bolt',
            routes: [anyServiceRoute('bolt_up')],
            extendConfig: { bolt: { max_frame_size: 4096 } },
          },
          {
            name: 'small_dubbo',
            port: port.small_dubbo!,
            protocol: 'dubbo',
            routes: [anyServiceRoute('dubbo_up')],
            extendConfig: { dubbo: { max_frame_size: 4096 } },
          },
        ],
        clusters: [
          { name: 'bolt_up', ports: [bolt.port] },
          { name: 'dubbo_up', ports: [dubbo.port] },
        ],
        metricsPort,
      }),
    );
    for (const name of ['bad_bolt', 'bad_dubbo']) {
      witnesses.set(name, await RawRpcClient.connect(port[name]!, name === 'bad_bolt' ? 'bolt' : 'dubbo'));
    }
  });

  afterAll(async () => {
    for (const w of witnesses.values()) w.destroy();
    await proxy?.stop();
    await Promise.all([bolt?.close(), dubbo?.close()]);
  });

  const protocolOf = (listener: string): WireProtocol => (listener.endsWith('bolt') ? 'bolt' : 'dubbo');
  const validRequest = (protocol: WireProtocol, id: number, content = 'payload'): Buffer =>
    protocol === 'bolt' ? boltRequest({ id, headers: { service: 'com.test.S:1.0' }, content: Buffer.from(content) }) : dubboRequest(id, 'org.test.S', 'm');

  /** Runs one case on a fresh connection and checks everything that must hold afterwards. */
  async function runCase(listener: string, protocolErrors: number, act: (c: RawRpcClient) => Promise<void>): Promise<void> {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(port[listener]!, protocolOf(listener));
    try {
      await act(c);
    } finally {
      c.destroy();
    }
    // another connection keeps being served
    const witness = witnesses.get(listener);
    if (witness !== undefined) {
      const id = witnessId++;
      const n = witness.frames.length;
      await witness.write(validRequest(witness.protocol, id));
      const [reply] = (await witness.waitFrames(n + 1)).slice(n);
      expect(reply!.id).toBe(id);
    }
    expect(proxy.child.exitCode).toBeNull();
    const baseline = witness === undefined ? 0 : 1;
    await window.settle('downstream_connection_active', { listener }, (_d, active) => active === baseline);
    expect(window.value('downstream_connection_active', { listener })).toBe(baseline);
    expect(window.delta('downstream_protocol_error_total', { listener })).toBe(protocolErrors);
  }

  async function expectClosedWithoutReply(c: RawRpcClient): Promise<void> {
    await c.waitClosed();
    expect(c.received.length).toBe(0);
  }

  async function oneReply(c: RawRpcClient): Promise<WireFrame> {
    const [reply] = await c.waitFrames(1);
    expect(c.isClosed).toBe(false);
    return reply!;
  }

  describe('Bolt', () => {
    it('wrong magic: closed and counted', () =>
      runCase('bad_bolt', 1, async (c) => {
        const bytes = boltRequest({ id: 1, headers: { service: 'x' } });
        bytes[0] = 0x05;
        await c.write(bytes);
        await expectClosedWithoutReply(c);
      }));

    it('a truncated header then FIN: closed, nothing forwarded, not a protocol error', () =>
      runCase('bad_bolt', 0, async (c) => {
        const before = bolt.received.length;
        c.socket.end(boltRequest({ id: 1, headers: { service: 'x' } }).subarray(0, 13));
        await expectClosedWithoutReply(c);
        expect(bolt.received.length).toBe(before);
      }));

    it('an unknown command code: closed and counted', () =>
      runCase('bad_bolt', 1, async (c) => {
        await c.write(boltRequest({ id: 1, cmdCode: 7, headers: { service: 'x' } }));
        await expectClosedWithoutReply(c);
      }));

    it('an unknown type byte: closed and counted', () =>
      runCase('bad_bolt', 1, async (c) => {
        await c.write(boltRequest({ id: 1, type: 9, headers: { service: 'x' } }));
        await expectClosedWithoutReply(c);
      }));

    it('a 2 GiB content length: closed and counted at once', () =>
      runCase('bad_bolt', 1, async (c) => {
        const h = boltRequest({ id: 1, content: Buffer.alloc(0) });
        h.writeUInt32BE(0x8000_0000, 18);
        void c.write(Buffer.concat([h, Buffer.alloc(64 * 1024, 1)])).catch(() => {});
        await expectClosedWithoutReply(c);
      }));

    it('a class name that runs over the header map and content: no routing header -> status 6, same id', () =>
      runCase('bad_bolt', 0, async (c) => {
        const good = boltRequest({ id: 77, headers: { service: 'com.test.S:1.0' } });
        const classLength = good.length - 22;
        good.writeUInt16BE(classLength, 14);
        good.writeUInt16BE(0, 16);
        good.writeUInt32BE(0, 18);
        await c.write(good);
        const reply = await oneReply(c);
        expect([reply.id, reply.status]).toEqual([77, BOLT_NO_PROCESSOR]);
      }));

    it('a header map that does not decode: codec exception (status 9) with the same id, connection kept', () =>
      runCase('bad_bolt', 1, async (c) => {
        const before = bolt.received.length;
        const map = Buffer.from([0, 0, 0xff, 0xff, 0x61, 0x62]); // key length 65535, 2 bytes follow
        await c.write(boltRequest({ id: 0xfeed, rawHeaderMap: map }));
        const reply = await oneReply(c);
        expect([reply.id, reply.type, reply.cmdCode, reply.status]).toEqual([0xfeed, 0, 2, BOLT_CODEC_EXCEPTION]);
        expect(bolt.received.length).toBe(before);
        // the same connection still works
        await c.write(validRequest('bolt', 3));
        const [, ok] = await c.waitFrames(2);
        expect([ok!.id, ok!.status]).toEqual([3, 0]);
      }));

    it('a valid request written one byte at a time is answered', () =>
      runCase('bad_bolt', 0, async (c) => {
        const bytes = validRequest('bolt', 0xabcdef, 'byte-by-byte');
        for (let i = 0; i < bytes.length; i++) await c.write(bytes.subarray(i, i + 1));
        const reply = await oneReply(c);
        expect([reply.id, reply.status]).toEqual([0xabcdef, 0]);
        expect(reply.raw.subarray(reply.raw.length - 12).toString()).toBe('byte-by-byte');
      }));

    it('requests followed by a FIN are still answered, then the connection is closed', () =>
      runCase('bad_bolt', 0, async (c) => {
        c.socket.end(Buffer.concat([validRequest('bolt', 1), validRequest('bolt', 2)]));
        const replies = await c.waitFrames(2);
        expect(replies.map((r) => [r.id, r.status])).toEqual([
          [1, 0],
          [2, 0],
        ]);
        await c.waitClosed();
      }));

    it('two in-flight requests with the same id are both answered', () =>
      runCase('bad_bolt', 0, async (c) => {
        bolt.decide = (r) => (boltContentOf(r.frame.raw).toString().startsWith('dup-') ? 'hold' : 'answer');
        try {
          const before = bolt.requests().length;
          await c.write(Buffer.concat([validRequest('bolt', 5, 'dup-one'), validRequest('bolt', 5, 'dup-two')]));
          const held = (await bolt.waitRequests(before + 2)).slice(before);
          expect(new Set(held.map((r) => r.frame.id)).size).toBe(2); // distinct upstream ids
          for (const r of held.reverse()) bolt.answer(r);
          const replies = await c.waitFrames(2);
          expect(replies.map((r) => r.id)).toEqual([5, 5]);
          expect(replies.map((r) => r.raw.subarray(r.raw.length - 7).toString()).sort()).toEqual(['dup-one', 'dup-two']);
        } finally {
          bolt.decide = () => 'answer';
        }
      }));

    it('extend_config.bolt.max_frame_size: a frame under it is served, one over it closes the connection', async () => {
      await runCase('small_bolt', 0, async (c) => {
        await c.write(validRequest('bolt', 1, 'x'.repeat(4000)));
        expect((await oneReply(c)).status).toBe(0);
      });
      await runCase('small_bolt', 1, async (c) => {
        await c.write(validRequest('bolt', 2, 'x'.repeat(5000)));
        await expectClosedWithoutReply(c);
      });
    });

    it('max_frame_size caps what clients send, not the answers they get', () =>
      runCase('small_bolt', 0, async (c) => {
        bolt.decide = (r) => {
          if (r.frame.cmdCode !== 1) return 'answer';
          r.socket.write(boltResponse(r.frame.id, Buffer.alloc(64 * 1024, 0x41)));
          return 'hold';
        };
        try {
          await c.write(validRequest('bolt', 3));
          const reply = await oneReply(c);
          expect([reply.id, reply.status, reply.raw.length]).toEqual([3, 0, 20 + 46 + 64 * 1024]);
        } finally {
          bolt.decide = () => 'answer';
        }
      }));
  });

  describe('Dubbo', () => {
    it('wrong magic: closed and counted', () =>
      runCase('bad_dubbo', 1, async (c) => {
        const bytes = dubboRequest(1, 'org.test.S', 'm');
        bytes[1] = 0xbc;
        await c.write(bytes);
        await expectClosedWithoutReply(c);
      }));

    it('a truncated header then FIN: closed, not a protocol error', () =>
      runCase('bad_dubbo', 0, async (c) => {
        c.socket.end(dubboRequest(1, 'org.test.S', 'm').subarray(0, 9));
        await expectClosedWithoutReply(c);
      }));

    it('a 2 GiB body length: closed and counted at once', () =>
      runCase('bad_dubbo', 1, async (c) => {
        const h = dubboFrame(0xc2, 0, 1, Buffer.alloc(0));
        h.writeUInt32BE(0x8000_0000, 12);
        void c.write(Buffer.concat([h, Buffer.alloc(64 * 1024, 1)])).catch(() => {});
        await expectClosedWithoutReply(c);
      }));

    it('an unknown serialization id: codec error reply (status 70) with the same id', () =>
      runCase('bad_dubbo', 1, async (c) => {
        const bytes = dubboRequest(2 ** 33 + 9, 'org.test.S', 'm');
        bytes[2] = 0xc0 | 0x1f;
        await c.write(bytes);
        const reply = await oneReply(c);
        expect([reply.id, reply.status]).toEqual([2 ** 33 + 9, DUBBO_SERVICE_ERROR]);
        expect(reply.raw.subarray(16).toString('latin1')).toContain('codec exception');
      }));

    it('a body that is not Hessian: codec error reply with the same id, connection kept', () =>
      runCase('bad_dubbo', 1, async (c) => {
        const before = dubbo.received.length;
        await c.write(dubboFrame(0xc2, 0, 31, Buffer.from([0x7f, 0xff, 0xff, 0x01])));
        const reply = await oneReply(c);
        expect([reply.id, reply.status]).toEqual([31, DUBBO_SERVICE_ERROR]);
        expect(dubbo.received.length).toBe(before);
        await c.write(validRequest('dubbo', 32));
        const [, ok] = await c.waitFrames(2);
        expect([ok!.id, ok!.status]).toEqual([32, 20]);
      }));

    it('a valid request written one byte at a time is answered', () =>
      runCase('bad_dubbo', 0, async (c) => {
        const bytes = validRequest('dubbo', 2 ** 45 + 1);
        for (let i = 0; i < bytes.length; i++) await c.write(bytes.subarray(i, i + 1));
        const reply = await oneReply(c);
        expect([reply.id, reply.status]).toEqual([2 ** 45 + 1, 20]);
      }));

    it('two in-flight requests with the same id are both answered', () =>
      runCase('bad_dubbo', 0, async (c) => {
        dubbo.decide = () => 'hold';
        try {
          const before = dubbo.requests().length;
          await c.write(Buffer.concat([validRequest('dubbo', 9), validRequest('dubbo', 9)]));
          const held = (await dubbo.waitRequests(before + 2)).slice(before);
          expect(new Set(held.map((r) => r.frame.id)).size).toBe(2);
          for (const r of held) dubbo.answer(r);
          const replies = await c.waitFrames(2);
          expect(replies.map((r) => [r.id, r.status])).toEqual([
            [9, 20],
            [9, 20],
          ]);
        } finally {
          dubbo.decide = () => 'answer';
        }
      }));

    it('ids beyond 2^53 come back byte for byte, in answers and in error replies', () =>
      runCase('bad_dubbo', 0, async (c) => {
        const idBytes = Buffer.from('fffffffffffffffe', 'hex');
        const withId = (frame: Buffer) => {
          idBytes.copy(frame, 4);
          return frame;
        };
        await c.write(withId(validRequest('dubbo', 0)));
        const [answer] = await c.waitFrames(1);
        expect([answer!.raw.subarray(4, 12).toString('hex'), answer!.status]).toEqual(['fffffffffffffffe', 20]);
        const upstreamPort = dubbo.port;
        dubbo.decide = () => 'hold';
        try {
          // not answered by the upstream: the proxy's error reply must carry the same 8 bytes
          const before = dubbo.requests().length;
          await c.write(withId(validRequest('dubbo', 0)));
          await dubbo.waitRequests(before + 1);
          await dubbo.close();
          const [, failed] = await c.waitFrames(2);
          expect([failed!.raw.subarray(4, 12).toString('hex'), failed!.status]).toEqual(['fffffffffffffffe', 60]);
        } finally {
          dubbo = await RawRpcUpstream.start('dubbo', upstreamPort);
        }
      }));

    it('extend_config.dubbo.max_frame_size: a frame over it closes the connection', async () => {
      await runCase('small_dubbo', 0, async (c) => {
        await c.write(dubboFrame(0xc2, 0, 1, Buffer.concat([dubboRequest(1, 'org.test.S', 'm').subarray(16)])));
        expect((await oneReply(c)).status).toBe(20);
      });
      await runCase('small_dubbo', 1, async (c) => {
        await c.write(dubboFrame(0xc2, 0, 2, Buffer.alloc(5000, 0x4e)));
        await expectClosedWithoutReply(c);
      });
    });
  });

  it('50 connections each claiming 2 GiB (Bolt and Dubbo) are all closed fast and allocate nothing of it', async () => {
    const window = await MetricWindow.open(metricsPort);
    const rssBefore = rssBytes(proxy.pid);
    const boltBomb = boltRequest({ id: 1, content: Buffer.alloc(0) });
    boltBomb.writeUInt32BE(0x8000_0000, 18);
    const dubboBomb = dubboFrame(0xc2, 0, 1, Buffer.alloc(0));
    dubboBomb.writeUInt32BE(0x8000_0000, 12);
    const tail = Buffer.alloc(64 * 1024, 7);
    const t0 = performance.now();
    const clients = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const listener = i % 2 === 0 ? 'bad_bolt' : 'bad_dubbo';
        const c = await RawRpcClient.connect(port[listener]!, protocolOf(listener));
        void c.write(Buffer.concat([listener === 'bad_bolt' ? boltBomb : dubboBomb, tail])).catch(() => {});
        return c;
      }),
    );
    await Promise.all(clients.map((c) => c.waitClosed(5_000)));
    const elapsed = performance.now() - t0;
    const rssAfter = rssBytes(proxy.pid);
    expect(elapsed).toBeLessThan(5_000);
    expect(rssAfter - rssBefore).toBeLessThan(32 * 1024 * 1024);
    await window.settle('downstream_connection_active', { listener: 'bad_bolt' }, (_d, active) => active === 1);
    expect(window.delta('downstream_protocol_error_total', { listener: 'bad_bolt' })).toBe(25);
    expect(window.delta('downstream_protocol_error_total', { listener: 'bad_dubbo' })).toBe(25);
    expect(proxy.child.exitCode).toBeNull();
  });
});
