import { describe, expect, it } from 'vitest';
import type { RpcFrame } from '../../../../src/api/rpc-codec.ts';
import { CodecError } from '../../../../src/common/errors.ts';
import {
  boltCodec,
  BoltCmdCode,
  BoltCmdType,
  BoltFrame,
  boltV1Layout,
  boltV2Layout,
  encodeBoltFrame,
} from '../../../../src/protocol/bolt/index.ts';
import { sofaHeartbeat, sofaRequest, sofaResponse } from './sofa-bolt-peer.ts';

function decodeAll(bytes: Buffer): BoltFrame[] {
  const frames: RpcFrame[] = [];
  boltCodec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (frame) => frames.push(frame));
  return frames.map((frame) => {
    expect(frame).toBeInstanceOf(BoltFrame);
    return frame as BoltFrame;
  });
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecError);
    return (err as CodecError).code;
  }
  throw new Error('expected a CodecError');
}

describe('bolt decoder', () => {
  it('decodes a sofa-rpc-node request: service header, class, timeout, codec', () => {
    const [frame] = decodeAll(sofaRequest(7));
    expect(frame!.protocol).toBe('bolt');
    expect(frame!.kind).toBe('request');
    expect(frame!.requestId).toBe(7);
    expect(frame!.header('service')).toBe('com.alipay.test.TestService:1.0');
    expect(frame!.className).toBe('com.alipay.sofa.rpc.core.request.SofaRequest');
    expect(frame!.timeoutMs).toBe(3000);
    expect(frame!.codecType).toBe(1);
    expect(frame!.content.length).toBeGreaterThan(0);
    expect(frame!.content.buffer).toBe(frame!.raw.buffer);
  });

  it('decodes sofa-bolt-node responses and heartbeats', () => {
    const [response, heartbeat] = decodeAll(Buffer.concat([sofaResponse(8), sofaHeartbeat(9)]));
    expect(response!.kind).toBe('response');
    expect(response!.status).toBe(0);
    expect(response!.timeoutMs).toBe(-1);
    expect(response!.className).toBe('com.alipay.sofa.rpc.core.response.SofaResponse');
    expect(heartbeat!.heartbeat).toBe(true);
    expect(heartbeat!.kind).toBe('request');
    expect(heartbeat!.requestId).toBe(9);
  });

  it('reads Bolt v2 frames on a bolt connection, like MOSN', () => {
    const frames = decodeAll(
      Buffer.concat([sofaRequest(1), sofaRequest(2, { protocolType: 'bolt2', boltVersion: 1, crcEnable: false })]),
    );
    expect(frames.map((f) => [f.protocol, f.requestId, f.header('service')])).toEqual([
      ['bolt', 1, 'com.alipay.test.TestService:1.0'],
      ['boltv2', 2, 'com.alipay.test.TestService:1.0'],
    ]);
  });

  it('frames, verifies and keeps a v2 CRC32 trailer (ver1 = 2, CRC switch on)', () => {
    const bytes = sofaRequest(3, { protocolType: 'bolt2', boltVersion: 2, crcEnable: true });
    const [frame] = decodeAll(Buffer.concat([bytes, sofaRequest(4)]).subarray(0, bytes.length));
    expect(frame!.raw.length).toBe(bytes.length);
    expect(frame!.ver1).toBe(2);
    expect(frame!.switchCode).toBe(1);
    expect(frame!.content.length).toBe(bytes.length - 4 - (24 + frame!.className.length + frame!.raw.readUInt16BE(18)));
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 1]! ^= 0xff;
    expect(codeOf(() => decodeAll(corrupt))).toBe('ERR_CODEC_BAD_BODY');
  });

  it('has no trailer when only ver1 = 1 with the CRC bit (sofa-bolt reads none then)', () => {
    const bytes = encodeBoltFrame(boltV2Layout, {
      type: BoltCmdType.request,
      cmdCode: BoltCmdCode.request,
      requestId: 5,
      ver1: 1,
      switchCode: 1,
      content: Buffer.from('x'),
    });
    expect(bytes.length).toBe(25);
    expect(decodeAll(bytes)[0]!.raw.length).toBe(25);
  });

  it('reports the timeout field as sent: 0 unset, -1 none', () => {
    const frameWith = (timeout: number) =>
      decodeAll(encodeBoltFrame(boltV1Layout, { type: 1, cmdCode: 1, requestId: 1, timeout }))[0]!;
    expect(frameWith(0).timeoutMs).toBe(0);
    expect(frameWith(-1).timeoutMs).toBe(-1);
    expect(frameWith(250).timeoutMs).toBe(250);
  });

  it('decodes a frame with a malformed header map; header() then throws ERR_CODEC_BAD_HEADER', () => {
    const bytes = encodeBoltFrame(boltV1Layout, {
      type: BoltCmdType.request,
      cmdCode: BoltCmdCode.request,
      requestId: 6,
      headers: { service: 'x' },
    });
    bytes.writeUInt32BE(0xff, 22); // key length far past the 18-byte map
    const [frame] = decodeAll(bytes);
    expect(frame!.requestId).toBe(6);
    expect(codeOf(() => frame!.header('service'))).toBe('ERR_CODEC_BAD_HEADER');
    expect(codeOf(() => frame!.headers())).toBe('ERR_CODEC_BAD_HEADER');
  });

  it('recognises MOSN GoAway (cmdcode 100)', () => {
    const [frame] = decodeAll(boltCodec.goAway!());
    expect(frame!.goAway).toBe(true);
    expect(frame!.heartbeat).toBe(false);
    expect(frame!.kind).toBe('request');
  });

  it('refuses a request whose cmdcode is unknown even when type is valid', () => {
    const bytes = encodeBoltFrame(boltV1Layout, { type: BoltCmdType.request, cmdCode: 3, requestId: 1 });
    expect(codeOf(() => decodeAll(bytes))).toBe('ERR_CODEC_BAD_CMD');
  });

  it('keeps earlier frames intact when later chunks arrive (no shared mutable buffers)', () => {
    const frames: RpcFrame[] = [];
    const decoder = boltCodec.newDecoder({ maxFrameSize: 1 << 20 });
    const first = sofaRequest(1);
    const second = sofaRequest(2);
    decoder.feed(first.subarray(0, 10), (f) => frames.push(f));
    decoder.feed(Buffer.concat([first.subarray(10), second.subarray(0, 5)]), (f) => frames.push(f));
    const snapshot = Buffer.from(frames[0]!.raw);
    decoder.feed(second.subarray(5), (f) => frames.push(f));
    expect(frames[0]!.raw).toEqual(snapshot);
    expect(frames.map((f) => f.requestId)).toEqual([1, 2]);
  });
});
