// Message bodies (RFC 9112 §6–§7): Content-Length, chunked (with extensions and trailers), or
// delimited by the connection closing (responses only). Body bytes are handed on as ranges of
// the received chunk — never copied, never buffered here.
import { CR, FIELD_VALUE, HEX, HTAB, LF, SP, TCHAR, classifyHeader, HeaderKind } from './constants.ts';
import { HttpParseError } from './parse-error.ts';

export const BodyMode = { none: 0, length: 1, chunked: 2, eof: 3 } as const;
export type BodyMode = (typeof BodyMode)[keyof typeof BodyMode];

export interface BodySink {
  onBody(chunk: Buffer, start: number, end: number): void;
  /** `trailers`: validated trailer lines ("name: value\r\n"…), framing fields removed */
  onBodyEnd(trailers: Buffer | undefined): void;
}

const ChunkState = { size: 0, ext: 1, sizeLf: 2, data: 3, dataCr: 4, dataLf: 5, trailers: 6 } as const;
type ChunkState = (typeof ChunkState)[keyof typeof ChunkState];

/** 13 hex digits = 2^52: the most a double holds exactly, with room to add. */
const MAX_CHUNK_SIZE_DIGITS = 13;
const MAX_CHUNK_EXT_BYTES = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;

export class BodyDecoder {
  mode: BodyMode = BodyMode.none;
  #remaining = 0;
  /** body bytes seen so far (for the size limit) */
  #total = 0;
  readonly #maxBody: number;
  readonly #failStatus: number;
  #state: ChunkState = ChunkState.size;
  #sizeDigits = 0;
  #extBytes = 0;
  #trailers: Buffer | undefined;
  #trailerLen = 0;

  /** `maxBody` 0 = unlimited; `upstream`: errors become 502 instead of 400/413 */
  constructor(maxBody: number, upstream: boolean) {
    this.#maxBody = maxBody;
    this.#failStatus = upstream ? 502 : 0;
  }

  #fail(code: 'bad_chunk' | 'chunk_too_large' | 'bad_trailer' | 'body_too_large', status: number, message: string): never {
    throw new HttpParseError(code, this.#failStatus || status, message);
  }

  begin(mode: BodyMode, length: number): void {
    this.mode = mode;
    this.#remaining = mode === BodyMode.length ? length : 0;
    this.#total = 0;
    this.#state = ChunkState.size;
    this.#sizeDigits = 0;
    this.#extBytes = 0;
    this.#trailers = undefined;
    this.#trailerLen = 0;
    if (mode === BodyMode.length) this.#count(length);
  }

  #count(n: number): void {
    this.#total += n;
    if (this.#maxBody > 0 && this.#total > this.#maxBody) this.#fail('body_too_large', 413, `body larger than ${this.#maxBody} bytes`);
  }

  /** Consumes body bytes from chunk[pos]. Returns the offset after the body when it ended here, else -1. */
  feed(chunk: Buffer, pos: number, sink: BodySink): number {
    switch (this.mode) {
      case BodyMode.length: {
        const n = Math.min(this.#remaining, chunk.length - pos);
        if (n > 0) sink.onBody(chunk, pos, pos + n);
        this.#remaining -= n;
        if (this.#remaining > 0) return -1;
        sink.onBodyEnd(undefined);
        return pos + n;
      }
      case BodyMode.eof:
        if (pos < chunk.length) sink.onBody(chunk, pos, chunk.length);
        return -1;
      case BodyMode.chunked:
        return this.#chunked(chunk, pos, sink);
      default:
        sink.onBodyEnd(undefined);
        return pos;
    }
  }

  /** The connection ended: fine for a close-delimited body, truncation otherwise. */
  end(sink: BodySink): void {
    if (this.mode !== BodyMode.eof) this.#fail('bad_chunk', 400, 'connection closed in the middle of a body');
    sink.onBodyEnd(undefined);
  }

  #chunked(buf: Buffer, pos: number, sink: BodySink): number {
    const end = buf.length;
    while (pos < end) {
      switch (this.#state) {
        case ChunkState.size: {
          const c = buf[pos]!;
          const h = HEX[c]!;
          if (h >= 0) {
            if (++this.#sizeDigits > MAX_CHUNK_SIZE_DIGITS) this.#fail('chunk_too_large', 400, 'chunk size too large');
            this.#remaining = this.#remaining * 16 + h;
            pos++;
          } else if (this.#sizeDigits === 0) {
            this.#fail('bad_chunk', 400, 'chunk size expected');
          } else if (c === CR) {
            this.#state = ChunkState.sizeLf;
            pos++;
          } else if (c === 0x3b) {
            this.#state = ChunkState.ext;
            pos++;
          } else {
            this.#fail('bad_chunk', 400, 'bad byte after chunk size');
          }
          break;
        }
        case ChunkState.ext: {
          const c = buf[pos]!;
          if (c === CR) this.#state = ChunkState.sizeLf;
          else if (!FIELD_VALUE[c] || ++this.#extBytes > MAX_CHUNK_EXT_BYTES) this.#fail('bad_chunk', 400, 'bad chunk extension');
          pos++;
          break;
        }
        case ChunkState.sizeLf:
          if (buf[pos] !== LF) this.#fail('bad_chunk', 400, 'chunk size line not ended by CRLF');
          pos++;
          this.#sizeDigits = 0;
          this.#extBytes = 0;
          if (this.#remaining === 0) {
            this.#state = ChunkState.trailers;
          } else {
            this.#count(this.#remaining);
            this.#state = ChunkState.data;
          }
          break;
        case ChunkState.data: {
          const n = Math.min(this.#remaining, end - pos);
          sink.onBody(buf, pos, pos + n);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = ChunkState.dataCr;
          break;
        }
        case ChunkState.dataCr:
          if (buf[pos] !== CR) this.#fail('bad_chunk', 400, 'chunk data not followed by CRLF');
          this.#state = ChunkState.dataLf;
          pos++;
          break;
        case ChunkState.dataLf:
          if (buf[pos] !== LF) this.#fail('bad_chunk', 400, 'chunk data not followed by CRLF');
          this.#state = ChunkState.size;
          pos++;
          break;
        case ChunkState.trailers: {
          const done = this.#trailerBytes(buf, pos);
          if (done < 0) return -1;
          sink.onBodyEnd(this.#filteredTrailers());
          return done;
        }
      }
    }
    return -1;
  }

  /** Collects the trailer section; returns the offset after its empty line, or -1. */
  #trailerBytes(buf: Buffer, pos: number): number {
    let acc = this.#trailers;
    for (let i = pos; i < buf.length; i++) {
      if (this.#trailerLen >= MAX_TRAILER_BYTES) this.#fail('bad_trailer', 431, 'trailer section too large');
      if (acc === undefined) this.#trailers = acc = Buffer.allocUnsafe(256);
      else if (this.#trailerLen === acc.length) {
        const grown = Buffer.allocUnsafe(acc.length * 2);
        acc.copy(grown, 0, 0, this.#trailerLen);
        this.#trailers = acc = grown;
      }
      const c = buf[i]!;
      acc[this.#trailerLen++] = c;
      if (c !== LF) continue;
      const len = this.#trailerLen;
      if (len < 2 || acc[len - 2] !== CR) this.#fail('bad_trailer', 400, 'trailer line ends with a bare LF');
      // the empty line: either the whole section is "\r\n" or it ends with "\r\n\r\n"
      if (len === 2 || (len >= 4 && acc[len - 3] === LF)) return i + 1;
    }
    return -1;
  }

  /** Validates trailer lines and drops fields that must not appear in trailers. */
  #filteredTrailers(): Buffer | undefined {
    const acc = this.#trailers;
    const len = this.#trailerLen;
    if (!acc || len <= 2) return undefined;
    const keep: Buffer[] = [];
    let s = 0;
    while (s < len - 2) {
      let lf = s;
      while (acc[lf] !== LF) lf++;
      const e = lf - 1; // CR
      const c0 = acc[s]!;
      if (c0 === SP || c0 === HTAB) this.#fail('bad_trailer', 400, 'obsolete line folding in trailers');
      let i = s;
      while (i < e && TCHAR[acc[i]!]) i++;
      if (i === s || acc[i] !== 0x3a) this.#fail('bad_trailer', 400, 'malformed trailer name');
      for (let j = i + 1; j < e; j++) if (!FIELD_VALUE[acc[j]!]) this.#fail('bad_trailer', 400, 'bad byte in trailer value');
      if (classifyHeader(acc, s, i) === HeaderKind.other) keep.push(acc.subarray(s, lf + 1));
      s = lf + 1;
    }
    return keep.length === 0 ? undefined : Buffer.concat(keep);
  }
}
