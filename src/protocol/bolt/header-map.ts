// The SOFA header map carried between the class name and the content, in Bolt v1 and v2:
// repeated [u32 keyLen][key][u32 valueLen][value] until headerLen is used up (mosn.io/pkg
// header/bytes.go, sofa-bolt SimpleMapSerializer). A length of -1 (0xffffffff) is a null
// string; a pair with a null key or value is dropped, as the Java decoder does.
import { CodecError } from '../../common/errors.ts';

const NULL_LENGTH = 0xffff_ffff;

/**
 * Decodes `buf[start, end)`. The first occurrence of a key wins (MOSN's BytesHeader.Get scans
 * in order). Throws CodecError when a length runs past the end.
 */
export function decodeHeaderMap(buf: Buffer, start: number, end: number): Map<string, string> {
  const map = new Map<string, string>();
  let at = start;
  while (at < end) {
    const keyLength = readLength(buf, at, end);
    at += 4;
    const key = keyLength === NULL_LENGTH ? undefined : buf.toString('utf8', at, (at += keyLength));
    const valueLength = readLength(buf, at, end);
    at += 4;
    const value = valueLength === NULL_LENGTH ? undefined : buf.toString('utf8', at, (at += valueLength));
    if (key !== undefined && value !== undefined && !map.has(key)) map.set(key, value);
  }
  return map;
}

/**
 * The value of `name` (ASCII) without building the map: the same walk and the same errors as
 * decodeHeaderMap, but only the matching value becomes a string.
 */
export function findHeader(buf: Buffer, start: number, end: number, name: string): string | undefined {
  let found: string | undefined;
  let at = start;
  while (at < end) {
    const keyLength = readLength(buf, at, end);
    const keyAt = at + 4;
    at = keyLength === NULL_LENGTH ? keyAt : keyAt + keyLength;
    const valueLength = readLength(buf, at, end);
    at += 4;
    if (valueLength === NULL_LENGTH) continue;
    if (found === undefined && keyLength !== NULL_LENGTH && asciiEquals(buf, keyAt, keyLength, name)) {
      found = buf.toString('utf8', at, at + valueLength);
    }
    at += valueLength;
  }
  return found;
}

function asciiEquals(buf: Buffer, at: number, length: number, name: string): boolean {
  if (length !== name.length) return false;
  for (let i = 0; i < length; i++) if (buf[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function readLength(buf: Buffer, at: number, end: number): number {
  if (end - at < 4) throw badHeader('truncated string length');
  const length = buf.readUInt32BE(at);
  if (length !== NULL_LENGTH && length > end - at - 4) {
    throw badHeader(`string of ${length} bytes overruns the header map`);
  }
  return length;
}

function badHeader(reason: string): CodecError {
  return new CodecError('ERR_CODEC_BAD_HEADER', `bolt header map: ${reason}`);
}

export type HeaderEntries = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function entriesOf(headers: HeaderEntries): Iterable<readonly [string, string]> {
  return headers instanceof Map ? headers : Object.entries(headers);
}

/** Encoded size of `headers`, for sizing a frame before writing it. */
export function headerMapLength(headers: HeaderEntries): number {
  let size = 0;
  for (const [key, value] of entriesOf(headers)) {
    size += 8 + Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return size;
}

/** Writes `headers` at `at`; returns the offset after them. */
export function writeHeaderMap(out: Buffer, at: number, headers: HeaderEntries): number {
  let pos = at;
  for (const [key, value] of entriesOf(headers)) {
    const keyLength = out.write(key, pos + 4, 'utf8');
    out.writeUInt32BE(keyLength, pos);
    pos += 4 + keyLength;
    const valueLength = out.write(value, pos + 4, 'utf8');
    out.writeUInt32BE(valueLength, pos);
    pos += 4 + valueLength;
  }
  return pos;
}
