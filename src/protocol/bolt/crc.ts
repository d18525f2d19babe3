// The optional Bolt v2 CRC32 trailer: checked on decode, rewritten after the proxy patches the
// request id (otherwise the peer would reject the frame). zlib's CRC-32 is java.util.zip.CRC32.
import { crc32 } from 'node:zlib';
import { CodecError } from '../../common/errors.ts';
import { BOLT_CRC_LENGTH } from './constants.ts';
import { boltCrcLength, boltLayoutOf } from './layout.ts';

/** Trailer length of a whole frame held in `raw` (0 for v1 and for v2 without CRC). */
export function crcLengthOfFrame(raw: Buffer): number {
  const layout = boltLayoutOf(raw[0]);
  if (layout === undefined || layout.ver1At < 0) return 0;
  return boltCrcLength(raw[layout.ver1At]!, raw[layout.switchAt]!);
}

export function verifyBoltCrc(raw: Buffer): void {
  const body = raw.length - BOLT_CRC_LENGTH;
  if (crc32(raw.subarray(0, body)) !== raw.readUInt32BE(body)) {
    throw new CodecError('ERR_CODEC_BAD_BODY', 'bolt v2 frame CRC32 mismatch');
  }
}

/** Recomputes the trailer after the frame's bytes changed; no-op for frames without one. */
export function refreshBoltCrc(raw: Buffer): void {
  if (crcLengthOfFrame(raw) === 0) return;
  const body = raw.length - BOLT_CRC_LENGTH;
  raw.writeUInt32BE(crc32(raw.subarray(0, body)), body);
}
