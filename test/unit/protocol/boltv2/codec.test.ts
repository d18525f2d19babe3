import { describe, expect, it } from 'vitest';
import type { RpcFrame } from '../../../../src/api/rpc-codec.ts';
import { ProxyStatus } from '../../../../src/api/status.ts';
import { boltv2Codec } from '../../../../src/protocol/boltv2/index.ts';
import { boltV2StatusOf } from '../../../../src/protocol/boltv2/status-mapping.ts';
import { decodeWithSofaBolt, sofaRequest } from '../bolt/sofa-bolt-peer.ts';

function decodeOne(bytes: Buffer): RpcFrame {
  const frames: RpcFrame[] = [];
  boltv2Codec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (frame) => frames.push(frame));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

const V2_PLAIN = { protocolType: 'bolt2', boltVersion: 1, crcEnable: false } as const;
const V2_CRC = { protocolType: 'bolt2', boltVersion: 2, crcEnable: true } as const;

describe('boltv2 codec', () => {
  it('matches the first byte 0x02 only', () => {
    expect(boltv2Codec.match(Buffer.from([0x02, 0x01]))).toBe('match');
    expect(boltv2Codec.match(Buffer.from([0x01]))).toBe('no');
    expect(boltv2Codec.match(Buffer.alloc(0))).toBe('more');
  });

  it('decodes a sofa-bolt-node v2 request', () => {
    const frame = decodeOne(sofaRequest(11, V2_PLAIN));
    expect(frame.protocol).toBe('boltv2');
    expect(frame.requestId).toBe(11);
    expect(frame.timeoutMs).toBe(3000);
    expect(frame.header('service')).toBe('com.alipay.test.TestService:1.0');
  });

  it('heartbeats are 24-byte v2 requests, ver1 1, switch 0, timeout -1 (MOSN Trigger)', () => {
    const ping = boltv2Codec.heartbeat(7);
    expect(ping.toString('hex')).toBe('0201010000010000000701' + '00' + 'ffffffff' + '0000' + '0000' + '00000000');
    const [packet] = decodeWithSofaBolt(ping);
    expect(packet!.packetType).toBe('heartbeat');
    expect(packet!.options.protocolType).toBe('bolt2');
  });

  it('answers a v2 request in v2, readable by sofa-bolt-node', () => {
    const request = decodeOne(sofaRequest(21, V2_PLAIN));
    const reply = boltv2Codec.errorResponse(request, ProxyStatus.timeout, '');
    expect(reply.length).toBe(22);
    const [packet] = decodeWithSofaBolt(reply);
    expect(packet!.packetType).toBe('response');
    expect(packet!.packetId).toBe(21);
    expect(packet!.data!.error).toBeInstanceOf(Error);
  });

  it('answers a v1 request arriving on a boltv2 connection in v1', () => {
    const request = decodeOne(sofaRequest(22));
    const ack = boltv2Codec.heartbeatReply(request);
    expect(ack[0]).toBe(0x01);
    expect(decodeWithSofaBolt(ack)[0]!.packetId).toBe(22);
  });

  it('keeps the CRC valid: rewritten ids and replies to CRC requests pass sofa-bolt-node checks', () => {
    const request = decodeOne(sofaRequest(31, V2_CRC));
    const reply = boltv2Codec.heartbeatReply(request);
    expect(decodeWithSofaBolt(reply)[0]!).toMatchObject({ packetType: 'heartbeat_ack', packetId: 31 });
    boltv2Codec.setRequestId(request, 32);
    const [packet] = decodeWithSofaBolt(request.raw);
    expect(packet!).toMatchObject({ packetType: 'request', packetId: 32 });
    expect(packet!.options.crcEnable).toBe(true);
    // and our own decoder verifies the rewritten CRC
    expect(decodeOne(request.raw).requestId).toBe(32);
  });

  it('copyRequestId rewrites the CRC of the target', () => {
    const request = decodeOne(sofaRequest(41, V2_PLAIN));
    const response = decodeOne(boltv2Codec.heartbeatReply(decodeOne(sofaRequest(40, V2_CRC))));
    boltv2Codec.copyRequestId(request, response);
    expect(decodeOne(response.raw).requestId).toBe(41);
  });

  it('maps statuses like MOSN boltv2 (403 has no case there: unknown)', () => {
    expect(boltV2StatusOf(ProxyStatus.permissionDenied)).toBe(3);
    expect(boltV2StatusOf(ProxyStatus.noRoute)).toBe(6);
    expect(boltv2Codec.mapStatus(ProxyStatus.timeout)).toBe(7);
  });

  it('has no GoAway (MOSN boltv2 implements none)', () => {
    expect(boltv2Codec.goAway).toBeUndefined();
  });
});
