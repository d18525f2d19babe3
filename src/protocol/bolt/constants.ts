// SOFA Bolt wire constants (MOSN pkg/protocol/xprotocol/bolt/types.go, boltv2/types.go).
// Both dialects live here because one decoder reads both on the same connection, as MOSN's does.

/** First byte of every frame. */
export const BoltProtocolCode = { v1: 0x01, v2: 0x02 } as const;

/** `type` byte. */
export const BoltCmdType = { response: 0, request: 1, oneway: 2 } as const;

/** `cmdcode` field; 100 is MOSN's GoAway control extension. */
export const BoltCmdCode = { heartbeat: 0, request: 1, response: 2, goAway: 100 } as const;

/** `respstatus` values (sofa-bolt ResponseStatus). */
export const BoltStatus = {
  success: 0,
  error: 1,
  serverException: 2,
  unknown: 3,
  serverThreadpoolBusy: 4,
  errorComm: 5,
  noProcessor: 6,
  timeout: 7,
  clientSendError: 8,
  codecException: 9,
  connectionClosed: 0x10,
  serverSerialException: 0x11,
  serverDeserialException: 0x12,
} as const;

/** `codec` byte: the content serializer (MOSN writes Hessian2 in frames it builds). */
export const BOLT_CODEC_HESSIAN2 = 1;

/** `ver2` byte: the command version, always 1. */
export const BOLT_COMMAND_VERSION = 1;

/** Bolt v2 `ver1` byte: 1 = plain, 2 = may carry a CRC32 trailer (sofa-bolt RpcProtocolV2). */
export const BoltV2Version = { plain: 1, crc: 2 } as const;

/** Bolt v2 `switch` bit 0: CRC on. */
export const BOLT_V2_SWITCH_CRC = 0x01;

export const BOLT_CRC_LENGTH = 4;

/** Request ids are uint32 (MOSN truncates generated ids to 32 bits, issue #2403). */
export const BOLT_MAX_REQUEST_ID = 0xffff_ffff;

/** Class names SOFARPC puts in frames (sofa-bolt-node protocol/const.js). */
export const SofaClassName = {
  request: 'com.alipay.sofa.rpc.core.request.SofaRequest',
  response: 'com.alipay.sofa.rpc.core.response.SofaResponse',
} as const;
