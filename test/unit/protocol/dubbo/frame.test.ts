import { describe, expect, it } from 'vitest';
import type { RpcCodec, RpcFrame } from '../../../../src/api/rpc-codec.ts';
import { CodecError } from '../../../../src/common/errors.ts';
import { createDubboCodec, dubboCodec, DubboFrame, encodeDubboFrame } from '../../../../src/protocol/dubbo/index.ts';
import { consumerRequest, java } from './dubbo-peer.ts';

function decodeOne(bytes: Buffer, codec: RpcCodec = dubboCodec): DubboFrame {
  const frames: RpcFrame[] = [];
  codec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (frame) => frames.push(frame));
  expect(frames).toHaveLength(1);
  expect(frames[0]).toBeInstanceOf(DubboFrame);
  return frames[0] as DubboFrame;
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

const call = {
  requestId: 17,
  dubboInterface: 'com.demo.UserService',
  version: '1.0.0',
  group: 'blue',
  methodName: 'getUser',
  methodArgs: [
    java.String('alice'),
    java.int(3),
    java('com.demo.Query', { name: java.String('n'), tags: java.List([java.String('a')]) }),
  ],
  attachments: { tenant: 'acme' },
};

describe('dubbo frame', () => {
  it('reads the routing headers of a dubbo2.js request', () => {
    const frame = decodeOne(consumerRequest(call));
    expect(frame.kind).toBe('request');
    expect(frame.requestId).toBe(17);
    expect(frame.timeoutMs).toBe(0);
    expect(frame.header('service')).toBe('com.demo.UserService');
    expect(frame.header('method')).toBe('getUser');
    expect(frame.header('version')).toBe('1.0.0');
    expect(frame.header('dubbo')).toBe('2.0.2');
    expect(frame.header('group')).toBe('blue');
    expect(frame.header('interface')).toBe('com.demo.UserService');
    expect(frame.header('tenant')).toBe('acme');
    expect(frame.header('timeout')).toBeUndefined(); // a number, not a string
  });

  it('reads the body lazily: prefix headers work even when the arguments are broken', () => {
    const good = consumerRequest(call);
    const frame = decodeOne(good);
    // break every byte after the method name
    const prefixEnd = 16 + good.subarray(16).indexOf('getUser') + 'getUser'.length;
    frame.raw.fill(0xff, prefixEnd);
    expect(frame.header('service')).toBe('com.demo.UserService');
    expect(codeOf(() => frame.header('group'))).toBe('ERR_CODEC_BAD_BODY');
    expect(codeOf(() => frame.headers())).toBe('ERR_CODEC_BAD_BODY');
  });

  it('default: service is the body path; attachmentsOverride: the interface attachment (MOSN ingress_dubbo)', () => {
    const bytes = consumerRequest({ ...call, version: undefined, attachments: { interface: 'com.demo.RealInterface' } });
    const plain = decodeOne(bytes);
    expect(plain.header('service')).toBe('com.demo.UserService');
    expect(plain.header('interface')).toBe('com.demo.RealInterface');
    expect(plain.header('version')).toBe('');
    expect(plain.headers().get('version')).toBe('');
    const override = decodeOne(bytes, createDubboCodec({ attachmentsOverride: true }));
    expect(override.header('service')).toBe('com.demo.RealInterface');
    expect(override.header('version')).toBe('0.0.0'); // dubbo2.js attachment default
    expect(override.header('group')).toBe('blue');
  });

  it('refuses to read headers of a body that is not Hessian 2, keeping the frame', () => {
    const bytes = encodeDubboFrame({ flag: 0xc0 | 6, requestId: 1, body: Buffer.from('{"json":1}') });
    const frame = decodeOne(bytes);
    expect(frame.kind).toBe('request');
    expect(codeOf(() => frame.header('service'))).toBe('ERR_CODEC_UNSUPPORTED');
  });

  it('responses and events have no routing headers', () => {
    const response = decodeOne(encodeDubboFrame({ flag: 0x02, status: 20, requestId: 1, body: Buffer.from([0x91, 0x90]) }));
    expect(response.kind).toBe('response');
    expect(response.status).toBe(20);
    expect(response.header('service')).toBeUndefined();
    expect(response.headers().size).toBe(0);
    const event = decodeOne(encodeDubboFrame({ flag: 0xe2, requestId: 1, body: Buffer.from('N') }));
    expect(event.heartbeat).toBe(true);
    expect(event.header('service')).toBeUndefined();
  });

  it('a request without the two-way bit is one-way; flag bits decode independently', () => {
    const bytes = consumerRequest(call);
    bytes[2] = 0x82;
    expect(decodeOne(bytes).kind).toBe('oneway');
    // apache-dubbo-service heartbeat ack: two-way bit on a response, status 0
    const ack = decodeOne(encodeDubboFrame({ flag: 0x62, requestId: 0, body: Buffer.from('N') }));
    expect([ack.kind, ack.heartbeat, ack.status]).toEqual(['response', true, 0]);
  });

  it('reads 64-bit ids exactly below 2^53', () => {
    const bytes = encodeDubboFrame({ flag: 0xc2, requestId: 2 ** 32 + 2, body: Buffer.from('N') });
    expect(bytes.subarray(4, 12).toString('hex')).toBe('0000000100000002');
    expect(decodeOne(bytes).requestId).toBe(2 ** 32 + 2);
    const max = encodeDubboFrame({ flag: 0xc2, requestId: Number.MAX_SAFE_INTEGER, body: Buffer.from('N') });
    expect(decodeOne(max).requestId).toBe(Number.MAX_SAFE_INTEGER);
  });
});
