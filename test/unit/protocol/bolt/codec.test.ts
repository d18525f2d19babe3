import { describe, expect, it } from 'vitest';
import type { RpcFrame } from '../../../../src/api/rpc-codec.ts';
import { ProxyStatus } from '../../../../src/api/status.ts';
import { boltCodec } from '../../../../src/protocol/bolt/index.ts';
import { decodeWithSofaBolt, sofaHeartbeat, sofaRequest } from './sofa-bolt-peer.ts';

function decodeOne(bytes: Buffer): RpcFrame {
  const frames: RpcFrame[] = [];
  boltCodec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (frame) => frames.push(frame));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

describe('bolt codec against sofa-bolt-node', () => {
  it('matches the first byte 0x01 only', () => {
    expect(boltCodec.match(Buffer.from([0x01]))).toBe('match');
    expect(boltCodec.match(Buffer.from([0x02]))).toBe('no');
    expect(boltCodec.match(Buffer.alloc(0))).toBe('more');
  });

  it('error responses reach a sofa-rpc-node client as errors for the right request', () => {
    const request = decodeOne(sofaRequest(4242));
    const reply = boltCodec.errorResponse(request, ProxyStatus.noRoute, 'no route');
    // MOSN Hijack: respstatus only, no class, header or content
    expect(reply.toString('hex')).toBe('0100000201000010920100060000000000000000');
    const [packet] = decodeWithSofaBolt(reply);
    expect(packet!.packetType).toBe('response');
    expect(packet!.packetId).toBe(4242);
    expect(packet!.data!.error).toBeInstanceOf(Error);
  });

  it('heartbeats match MOSN Trigger and sofa-bolt-node reads them', () => {
    const ping = boltCodec.heartbeat(0x01020304);
    expect(ping.toString('hex')).toBe('01010000010102030401ffffffff' + '0000' + '0000' + '00000000');
    const [packet] = decodeWithSofaBolt(ping);
    expect(packet!.packetType).toBe('heartbeat');
    expect(packet!.packetId).toBe(0x01020304);
    expect(packet!.options.timeout).toBe(-1);
  });

  it('acks a sofa-bolt-node heartbeat with a heartbeat_ack of the same id', () => {
    const ping = decodeOne(sofaHeartbeat(99));
    const [packet] = decodeWithSofaBolt(boltCodec.heartbeatReply(ping));
    expect(packet!.packetType).toBe('heartbeat_ack');
    expect(packet!.packetId).toBe(99);
  });

  it('a request with a rewritten id still decodes in sofa-bolt-node, with the new id', () => {
    const frame = decodeOne(sofaRequest(1));
    boltCodec.setRequestId(frame, 0xfffffffe);
    const [packet] = decodeWithSofaBolt(frame.raw);
    expect(packet!.packetType).toBe('request');
    expect(packet!.packetId).toBe(-2); // sofa-bolt-node reads the id as int32
    expect(packet!.data!.methodName).toBe('plus');
  });

  it('GoAway is cmdcode 100 with id 0 (MOSN enable_bolt_goaway)', () => {
    expect(boltCodec.goAway!().toString('hex')).toBe('0101006401000000000100000000' + '0000' + '0000' + '00000000');
  });

  it('rejects request ids outside uint32', () => {
    const frame = decodeOne(sofaRequest(1));
    expect(() => boltCodec.setRequestId(frame, 2 ** 32)).toThrow(RangeError);
    expect(() => boltCodec.setRequestId(frame, -1)).toThrow(RangeError);
    expect(frame.requestId).toBe(1);
  });
});
