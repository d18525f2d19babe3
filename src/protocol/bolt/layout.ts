// Field offsets of the two Bolt dialects. v2 is v1 with `ver1` inserted at byte 1 and `switch`
// after `codec`, so every later field moves by one or two bytes (MOSN bolt/boltv2 types.go).
import { BOLT_V2_SWITCH_CRC, BoltProtocolCode, BoltV2Version, BOLT_CRC_LENGTH } from './constants.ts';

export interface BoltLayout {
  /** codec name of frames in this dialect */
  readonly protocol: 'bolt' | 'boltv2';
  readonly code: number;
  readonly requestHeaderLength: number;
  readonly responseHeaderLength: number;
  /** -1 in v1 */
  readonly ver1At: number;
  readonly typeAt: number;
  readonly cmdCodeAt: number;
  readonly ver2At: number;
  readonly idAt: number;
  readonly codecAt: number;
  /** -1 in v1 */
  readonly switchAt: number;
  /** requests: int32 timeout; responses: uint16 status at the same place */
  readonly timeoutAt: number;
  readonly statusAt: number;
  /** classLen (u16), headerLen (u16), contentLen (u32) follow each other from here */
  readonly requestLengthsAt: number;
  readonly responseLengthsAt: number;
}

export const boltV1Layout: BoltLayout = {
  protocol: 'bolt',
  code: BoltProtocolCode.v1,
  requestHeaderLength: 22,
  responseHeaderLength: 20,
  ver1At: -1,
  typeAt: 1,
  cmdCodeAt: 2,
  ver2At: 4,
  idAt: 5,
  codecAt: 9,
  switchAt: -1,
  timeoutAt: 10,
  statusAt: 10,
  requestLengthsAt: 14,
  responseLengthsAt: 12,
};

export const boltV2Layout: BoltLayout = {
  protocol: 'boltv2',
  code: BoltProtocolCode.v2,
  requestHeaderLength: 24,
  responseHeaderLength: 22,
  ver1At: 1,
  typeAt: 2,
  cmdCodeAt: 3,
  ver2At: 5,
  idAt: 6,
  codecAt: 10,
  switchAt: 11,
  timeoutAt: 12,
  statusAt: 12,
  requestLengthsAt: 16,
  responseLengthsAt: 14,
};

/** The dialect a frame's first byte announces, or undefined for a foreign byte. */
export function boltLayoutOf(code: number | undefined): BoltLayout | undefined {
  if (code === BoltProtocolCode.v1) return boltV1Layout;
  if (code === BoltProtocolCode.v2) return boltV2Layout;
  return undefined;
}

/**
 * Bytes of CRC32 after the content. sofa-bolt (RpcCommandDecoderV2) reads a trailer only when
 * ver1 = 2 and the switch's CRC bit is set; MOSN ignores it (and loses framing). We follow
 * sofa-bolt so such frames keep their framing.
 */
export function boltCrcLength(ver1: number, switchCode: number): number {
  return ver1 === BoltV2Version.crc && (switchCode & BOLT_V2_SWITCH_CRC) !== 0 ? BOLT_CRC_LENGTH : 0;
}

/** Header length for a frame of this type in this dialect. */
export function boltHeaderLength(layout: BoltLayout, isResponse: boolean): number {
  return isResponse ? layout.responseHeaderLength : layout.requestHeaderLength;
}
