// Builds the Dubbo frames the proxy writes itself. Proxied frames are never re-encoded: their
// raw bytes go out with only the request id patched.
import {
  DUBBO_HEADER_LENGTH,
  DUBBO_ID_LENGTH,
  DUBBO_MAGIC_HIGH,
  DUBBO_MAGIC_LOW,
  DUBBO_MAX_REQUEST_ID,
  DUBBO_SERIALIZATION_HESSIAN2,
  DubboFlag,
  DubboOffset,
  DubboStatus,
} from './constants.ts';
import { encodeHessian } from './hessian.ts';

const HESSIAN_NULL = 0x4e; // 'N'

export interface DubboFrameFields {
  readonly flag: number;
  /** responses; 0 in requests */
  readonly status?: number;
  /** a number, or the 8 id bytes of another frame (exact beyond 2^53) */
  readonly requestId: number | Buffer;
  readonly body: Buffer;
}

export function encodeDubboFrame(fields: DubboFrameFields): Buffer {
  const out = Buffer.allocUnsafe(DUBBO_HEADER_LENGTH + fields.body.length);
  out[0] = DUBBO_MAGIC_HIGH;
  out[1] = DUBBO_MAGIC_LOW;
  out[DubboOffset.flag] = fields.flag;
  out[DubboOffset.status] = fields.status ?? 0;
  if (typeof fields.requestId === 'number') writeDubboRequestId(out, fields.requestId);
  else fields.requestId.copy(out, DubboOffset.id, 0, DUBBO_ID_LENGTH);
  out.writeUInt32BE(fields.body.length, DubboOffset.bodyLength);
  fields.body.copy(out, DUBBO_HEADER_LENGTH);
  return out;
}

export function writeDubboRequestId(raw: Buffer, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > DUBBO_MAX_REQUEST_ID) throw new RangeError(`dubbo request id ${id}`);
  raw.writeUInt32BE(Math.floor(id / 0x1_0000_0000), DubboOffset.id);
  raw.writeUInt32BE(id >>> 0, DubboOffset.id + 4);
}

export function dubboRequestIdBytes(raw: Buffer): Buffer {
  return raw.subarray(DubboOffset.id, DubboOffset.id + DUBBO_ID_LENGTH);
}

/** The heartbeat Dubbo (and dubbo2.js) sends: two-way event request, body Hessian null. */
export function encodeDubboHeartbeat(id: number): Buffer {
  return encodeDubboFrame({
    flag: DubboFlag.request | DubboFlag.twoWay | DubboFlag.event | DUBBO_SERIALIZATION_HESSIAN2,
    requestId: id,
    body: Buffer.from([HESSIAN_NULL]),
  });
}

/** MOSN Reply: flag 0x22 (event, hessian2), status 20, body "NN", the request's id bytes. */
export function encodeDubboHeartbeatReply(request: Buffer): Buffer {
  return encodeDubboFrame({
    flag: DubboFlag.event | DUBBO_SERIALIZATION_HESSIAN2,
    status: DubboStatus.ok,
    requestId: dubboRequestIdBytes(request),
    body: Buffer.from([HESSIAN_NULL, HESSIAN_NULL]),
  });
}

/**
 * MOSN Hijack: flag 0x02, the mapped status, and the error message as a Hessian string, which
 * is what Dubbo's ExchangeCodec reads as the error message of a non-OK response.
 */
export function encodeDubboErrorResponse(request: Buffer, status: number, text: string): Buffer {
  return encodeDubboFrame({
    flag: DUBBO_SERIALIZATION_HESSIAN2,
    status,
    requestId: dubboRequestIdBytes(request),
    body: encodeHessian(text),
  });
}
