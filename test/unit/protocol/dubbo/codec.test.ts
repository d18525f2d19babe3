import { describe, expect, it } from 'vitest';
import type { RpcFrame } from '../../../../src/api/rpc-codec.ts';
import { ProxyStatus } from '../../../../src/api/status.ts';
import { dubboCodec, encodeDubboFrame } from '../../../../src/protocol/dubbo/index.ts';
import { dubboErrorText, dubboStatusOf, httpStatusOfDubbo } from '../../../../src/protocol/dubbo/status-mapping.ts';
import {
  consumerDecodeResponse,
  consumerRequest,
  consumerSeesHeartbeat,
  java,
  providerCodecDecodeResponse,
  providerResponse,
  providerSeesHeartbeat,
} from './dubbo-peer.ts';

function decodeOne(bytes: Buffer): RpcFrame {
  const frames: RpcFrame[] = [];
  dubboCodec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (frame) => frames.push(frame));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

const request = () =>
  decodeOne(
    consumerRequest({
      requestId: 4242,
      dubboInterface: 'com.demo.UserService',
      version: '1.0.0',
      methodName: 'getUser',
      methodArgs: [java.String('alice')],
    }),
  );

/** a request whose id bytes do not fit a double */
function requestWithIdBytes(hex: string): RpcFrame {
  const bytes = encodeDubboFrame({ flag: 0xc2, requestId: 0, body: Buffer.from('N') });
  Buffer.from(hex, 'hex').copy(bytes, 4);
  return decodeOne(bytes);
}

describe('dubbo codec against dubbo2.js and apache-dubbo-serialization', () => {
  it('matches on the two magic bytes', () => {
    expect(dubboCodec.match(Buffer.alloc(0))).toBe('more');
    expect(dubboCodec.match(Buffer.from([0xda]))).toBe('more');
    expect(dubboCodec.match(Buffer.from([0xda, 0xbb]))).toBe('match');
    expect(dubboCodec.match(Buffer.from([0xda, 0xbc]))).toBe('no');
    expect(dubboCodec.match(Buffer.from([0x01]))).toBe('no');
  });

  it('decodes an apache-dubbo-service response', () => {
    const response = decodeOne(providerResponse(2 ** 40 + 5, { name: 'alice' }));
    expect([response.kind, response.status, response.requestId, response.heartbeat]).toEqual([
      'response',
      20,
      2 ** 40 + 5,
      false,
    ]);
    expect(dubboCodec.httpStatusOf(response)).toBe(200);
  });

  it('error responses are MOSN Hijack frames: flag 0x02, mapped status, Hessian "404|router unavailable"', () => {
    const reply = dubboCodec.errorResponse(request(), ProxyStatus.noRoute, '');
    const body = Buffer.concat([Buffer.from([0x16]), Buffer.from('404|router unavailable')]);
    expect(reply.subarray(0, 4).toString('hex')).toBe('dabb023c');
    expect(reply.readUInt32BE(12)).toBe(body.length);
    expect(reply.subarray(16)).toEqual(body);
  });

  it('a dubbo2.js consumer sees an error for its own request id', () => {
    const reply = dubboCodec.errorResponse(request(), ProxyStatus.noRoute, 'no route to com.demo.UserService');
    const decoded = consumerDecodeResponse(reply);
    expect(decoded.requestId).toBe(4242);
    expect(decoded.res).toBeNull();
    expect(decoded.err).toBeInstanceOf(Error);
    expect(decoded.err!.message).toContain('404|no route to com.demo.UserService');
  });

  it('apache-dubbo-serialization reads the message as the error text', () => {
    const decoded = providerCodecDecodeResponse(dubboCodec.errorResponse(request(), ProxyStatus.timeout, ''));
    expect(decoded.requestId).toBe(4242);
    expect(decoded.err!.message).toBe('504|timeout');
  });

  it('answers heartbeats with MOSN bytes (flag 0x22, status 20, body "NN") and the exact 64-bit id', () => {
    const ping = requestWithIdBytes('fedcba9876543210');
    const pong = dubboCodec.heartbeatReply(ping);
    expect(pong.toString('hex')).toBe('dabb2214' + 'fedcba9876543210' + '00000002' + '4e4e');
    expect(consumerSeesHeartbeat(pong)).toBe(true);
  });

  it('error replies and copyRequestId keep 64-bit ids byte for byte', () => {
    const ping = requestWithIdBytes('ffffffffffffffff');
    expect(dubboCodec.errorResponse(ping, ProxyStatus.noRoute, '').subarray(4, 12).toString('hex')).toBe(
      'ffffffffffffffff',
    );
    const response = decodeOne(encodeDubboFrame({ flag: 0x02, status: 20, requestId: 1, body: Buffer.from([0x91, 0x90]) }));
    dubboCodec.copyRequestId(ping, response);
    expect(response.raw.subarray(4, 12).toString('hex')).toBe('ffffffffffffffff');
  });

  it('sends the heartbeat Dubbo sends (two-way event request, Hessian null), which providers recognise', () => {
    const ping = dubboCodec.heartbeat(9);
    expect(ping.toString('hex')).toBe('dabbe200' + '0000000000000009' + '00000001' + '4e');
    expect(providerSeesHeartbeat(ping)).toBe(true);
  });

  it('setRequestId accepts ids up to 2^53-1 only', () => {
    const frame = request();
    dubboCodec.setRequestId(frame, Number.MAX_SAFE_INTEGER);
    expect(frame.raw.subarray(4, 12).toString('hex')).toBe('001fffffffffffff');
    expect(() => dubboCodec.setRequestId(frame, 2 ** 53)).toThrow(RangeError);
    expect(dubboCodec.maxRequestId).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('maps statuses with MOSN dubboMosnStatusMap, and statuses to HTTP-like codes', () => {
    const expected: Array<[ProxyStatus, number, string]> = [
      [ProxyStatus.codecError, 70, '0|codec exception'],
      [ProxyStatus.unknown, 70, '2|unknown'],
      [ProxyStatus.deserialError, 70, '3|deserial exception'],
      [ProxyStatus.success, 20, '200|success'],
      [ProxyStatus.permissionDenied, 80, '403|permission denied'],
      [ProxyStatus.noRoute, 60, '404|router unavailable'],
      [ProxyStatus.internalError, 70, '500|internal error'],
      [ProxyStatus.noHealthyUpstream, 60, '502|no health upstream'],
      [ProxyStatus.upstreamOverflow, 40, '503|upstream overflow'],
      [ProxyStatus.timeout, 30, '504|timeout'],
      [ProxyStatus.limitExceeded, 40, '509|limit exceeded'],
    ];
    for (const [status, dubbo, text] of expected) {
      expect(dubboStatusOf(status)).toBe(dubbo);
      expect(dubboErrorText(status, '')).toBe(text);
    }
    expect(dubboErrorText(ProxyStatus.noRoute, 'custom')).toBe('404|custom');
    expect([20, 30, 31, 100, 40, 50, 60, 70, 80, 90].map(httpStatusOfDubbo)).toEqual([
      200, 504, 504, 503, 500, 500, 500, 500, 500, 500,
    ]);
  });
});
