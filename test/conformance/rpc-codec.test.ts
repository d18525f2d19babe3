import { createRequire } from 'node:module';
import { boltCodec, BoltCmdCode, BoltCmdType, boltV1Layout, boltV2Layout, encodeBoltFrame } from '../../src/protocol/bolt/index.ts';
import type { BoltLayout } from '../../src/protocol/bolt/index.ts';
import { boltv2Codec } from '../../src/protocol/boltv2/index.ts';
import { dubboCodec, DubboFlag, DubboStatus, encodeDubboFrame } from '../../src/protocol/dubbo/index.ts';
import { runRpcCodecCase } from './rpc-codec.case.ts';

interface HessianEncoder {
  write(value: unknown): HessianEncoder;
  get(): Buffer;
}
const hessian = createRequire(import.meta.url)('hessian.js') as { EncoderV2: new () => HessianEncoder };

const SERVICE = 'com.alipay.test.TestService:1.0';
const HTTP_HEAD = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');

function boltCase(layout: BoltLayout) {
  const request = (type: number) => (id: number) =>
    encodeBoltFrame(layout, {
      type,
      cmdCode: BoltCmdCode.request,
      requestId: id,
      timeout: 3000,
      className: 'com.alipay.sofa.rpc.core.request.SofaRequest',
      headers: { service: SERVICE, sofa_head_method_name: 'plus' },
      content: Buffer.from('opaque hessian body'),
    });
  const header = encodeBoltFrame(layout, { type: BoltCmdType.request, cmdCode: BoltCmdCode.request, requestId: 1 });
  const withByte = (at: number, value: number) => {
    const bytes = Buffer.from(header);
    bytes[at] = value;
    return bytes;
  };
  return {
    request: request(BoltCmdType.request),
    oneway: request(BoltCmdType.oneway),
    requestHeaders: { service: SERVICE, sofa_head_method_name: 'plus' },
    response: (id: number) =>
      encodeBoltFrame(layout, {
        type: BoltCmdType.response,
        cmdCode: BoltCmdCode.response,
        requestId: id,
        status: 0,
        className: 'com.alipay.sofa.rpc.core.response.SofaResponse',
        content: Buffer.from('result'),
      }),
    headerDeclaring: (bodyLength: number) => {
      const bytes = Buffer.from(header);
      bytes.writeUInt32BE(bodyLength, layout.requestLengthsAt + 4);
      return bytes;
    },
    idRange: [layout.idAt, layout.idAt + 4] as const,
    invalid: [
      { name: 'bad magic', bytes: withByte(0, 0x03), code: 'ERR_CODEC_BAD_MAGIC' as const },
      { name: 'an unknown type', bytes: withByte(layout.typeAt, 3), code: 'ERR_CODEC_BAD_TYPE' as const },
      { name: 'an unknown cmdcode', bytes: withByte(layout.cmdCodeAt + 1, 5), code: 'ERR_CODEC_BAD_CMD' as const },
    ],
    foreign: HTTP_HEAD,
    maxRequestId: 0xffff_ffff,
  };
}

runRpcCodecCase({ codec: boltCodec, ...boltCase(boltV1Layout) });
runRpcCodecCase({ codec: boltv2Codec, ...boltCase(boltV2Layout) });

function dubboRequestBody(): Buffer {
  const encoder = new hessian.EncoderV2();
  for (const value of ['2.0.2', 'com.demo.UserService', '1.0.0', 'getUser', 'Ljava/lang/String;I', 'alice', 3]) {
    encoder.write(value);
  }
  encoder.write({ $class: 'java.util.HashMap', $: { group: 'blue', interface: 'com.demo.UserService' } });
  return encoder.get();
}

const dubboBody = dubboRequestBody();
const HESSIAN2 = 2;

runRpcCodecCase({
  codec: dubboCodec,
  request: (id) =>
    encodeDubboFrame({ flag: DubboFlag.request | DubboFlag.twoWay | HESSIAN2, requestId: id, body: dubboBody }),
  oneway: (id) => encodeDubboFrame({ flag: DubboFlag.request | HESSIAN2, requestId: id, body: dubboBody }),
  requestHeaders: {
    dubbo: '2.0.2',
    service: 'com.demo.UserService',
    version: '1.0.0',
    method: 'getUser',
    group: 'blue',
    interface: 'com.demo.UserService',
  },
  // RESPONSE_VALUE (1) then the value
  response: (id) =>
    encodeDubboFrame({ flag: HESSIAN2, status: DubboStatus.ok, requestId: id, body: Buffer.from([0x91, 0x93]) }),
  headerDeclaring: (bodyLength) => {
    const bytes = encodeDubboFrame({ flag: 0xc2, requestId: 1, body: Buffer.alloc(0) });
    bytes.writeUInt32BE(bodyLength, 12);
    return bytes;
  },
  idRange: [4, 12],
  invalid: [
    { name: 'a bad first magic byte', bytes: Buffer.from('dbbbc200000000000000000100000000', 'hex'), code: 'ERR_CODEC_BAD_MAGIC' },
    { name: 'a bad second magic byte', bytes: Buffer.from('dabcc200000000000000000100000000', 'hex'), code: 'ERR_CODEC_BAD_MAGIC' },
  ],
  foreign: Buffer.from([0x01, 0x01, 0x00, 0x01]),
  maxRequestId: Number.MAX_SAFE_INTEGER,
});
