// Builds Bolt frames from fields: the frames the proxy writes itself (heartbeats and their
// acks, error responses, GoAway) and the ones tests and fake peers need. Proxied frames are
// never re-encoded: their raw bytes go out with only the request id patched.
import {
  BOLT_CODEC_HESSIAN2,
  BOLT_COMMAND_VERSION,
  BOLT_CRC_LENGTH,
  BoltCmdCode,
  BoltCmdType,
  BoltV2Version,
  BOLT_MAX_REQUEST_ID,
} from './constants.ts';
import { refreshBoltCrc } from './crc.ts';
import { type HeaderEntries, headerMapLength, writeHeaderMap } from './header-map.ts';
import { type BoltLayout, boltCrcLength, boltHeaderLength } from './layout.ts';
import type { BoltFrame } from './frame.ts';

export interface BoltFrameFields {
  /** BoltCmdType */
  readonly type: number;
  /** BoltCmdCode */
  readonly cmdCode: number;
  readonly requestId: number;
  /** serializer byte, default Hessian2 */
  readonly codec?: number;
  /** requests: ms, 0 unset, -1 none */
  readonly timeout?: number;
  /** responses */
  readonly status?: number;
  readonly className?: string;
  readonly headers?: HeaderEntries;
  readonly content?: Buffer;
  /** Bolt v2 only: protocol version (default 1) and switch byte (default 0) */
  readonly ver1?: number;
  readonly switchCode?: number;
}

export function encodeBoltFrame(layout: BoltLayout, fields: BoltFrameFields): Buffer {
  const isResponse = fields.type === BoltCmdType.response;
  const headerLength = boltHeaderLength(layout, isResponse);
  const className = fields.className ?? '';
  const classLength = Buffer.byteLength(className, 'latin1');
  const mapLength = fields.headers === undefined ? 0 : headerMapLength(fields.headers);
  const contentLength = fields.content?.length ?? 0;
  if (classLength > 0xffff || mapLength > 0xffff) throw new RangeError('bolt class name or header map over 64 KiB');
  const isV2 = layout.ver1At >= 0;
  const ver1 = fields.ver1 ?? BoltV2Version.plain;
  const switchCode = fields.switchCode ?? 0;
  const crcLength = isV2 ? boltCrcLength(ver1, switchCode) : 0;

  const out = Buffer.alloc(headerLength + classLength + mapLength + contentLength + crcLength);
  out[0] = layout.code;
  if (isV2) {
    out[layout.ver1At] = ver1;
    out[layout.switchAt] = switchCode;
  }
  out[layout.typeAt] = fields.type;
  out.writeUInt16BE(fields.cmdCode, layout.cmdCodeAt);
  out[layout.ver2At] = BOLT_COMMAND_VERSION;
  out.writeUInt32BE(fields.requestId >>> 0, layout.idAt);
  out[layout.codecAt] = fields.codec ?? BOLT_CODEC_HESSIAN2;
  if (isResponse) out.writeUInt16BE(fields.status ?? 0, layout.statusAt);
  else out.writeInt32BE(fields.timeout ?? 0, layout.timeoutAt);
  const lengthsAt = isResponse ? layout.responseLengthsAt : layout.requestLengthsAt;
  out.writeUInt16BE(classLength, lengthsAt);
  out.writeUInt16BE(mapLength, lengthsAt + 2);
  out.writeUInt32BE(contentLength, lengthsAt + 4);

  let at = headerLength + out.write(className, headerLength, 'latin1');
  if (fields.headers !== undefined) at = writeHeaderMap(out, at, fields.headers);
  if (fields.content !== undefined) fields.content.copy(out, at);
  if (crcLength === BOLT_CRC_LENGTH) refreshBoltCrc(out);
  return out;
}

/** MOSN Trigger: a heartbeat request, timeout -1, no payload. */
export function encodeBoltHeartbeat(layout: BoltLayout, requestId: number): Buffer {
  return encodeBoltFrame(layout, {
    type: BoltCmdType.request,
    cmdCode: BoltCmdCode.heartbeat,
    requestId,
    timeout: -1,
  });
}

/**
 * A response to `request` in the request's own dialect (v1/v2, codec byte, v2 ver1/switch)
 * with the same request id: heartbeat acks and error replies.
 */
export function encodeBoltReply(request: BoltFrame, cmdCode: number, status: number): Buffer {
  return encodeBoltFrame(request.layout, {
    type: BoltCmdType.response,
    cmdCode,
    requestId: request.requestId,
    codec: request.codecType,
    status,
    ver1: request.ver1,
    switchCode: request.switchCode,
  });
}

/** MOSN's GoAway control frame (cmdcode 100); the id is 0 as in MOSN. */
export function encodeBoltGoAway(layout: BoltLayout): Buffer {
  return encodeBoltFrame(layout, { type: BoltCmdType.request, cmdCode: BoltCmdCode.goAway, requestId: 0 });
}

/** Writes `id` over the request id of a frame held in `raw`, keeping a v2 CRC valid. */
export function patchBoltRequestId(raw: Buffer, idAt: number, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > BOLT_MAX_REQUEST_ID) throw new RangeError(`bolt request id ${id}`);
  raw.writeUInt32BE(id, idAt);
  refreshBoltCrc(raw);
}
