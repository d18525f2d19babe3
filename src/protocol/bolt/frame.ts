// One decoded Bolt v1 or v2 frame. It keeps only the raw bytes and its dialect: every field is
// read from the bytes on access (so a patched request id shows at once), and the class name
// and header map are decoded to strings only when asked for.
import type { RpcFrame, RpcFrameKind } from '../../api/rpc-codec.ts';
import { BoltCmdCode, BoltCmdType } from './constants.ts';
import { crcLengthOfFrame } from './crc.ts';
import { decodeHeaderMap, findHeader, isAscii } from './header-map.ts';
import type { BoltLayout } from './layout.ts';

const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

export class BoltFrame implements RpcFrame {
  readonly raw: Buffer;
  readonly layout: BoltLayout;
  #headers: ReadonlyMap<string, string> | undefined;

  constructor(raw: Buffer, layout: BoltLayout) {
    this.raw = raw;
    this.layout = layout;
  }

  get protocol(): string {
    return this.layout.protocol;
  }

  get type(): number {
    return this.raw[this.layout.typeAt]!;
  }

  get kind(): RpcFrameKind {
    const type = this.type;
    if (type === BoltCmdType.request) return 'request';
    return type === BoltCmdType.oneway ? 'oneway' : 'response';
  }

  get cmdCode(): number {
    return this.raw.readUInt16BE(this.layout.cmdCodeAt);
  }

  get heartbeat(): boolean {
    return this.cmdCode === BoltCmdCode.heartbeat;
  }

  get goAway(): boolean {
    return this.cmdCode === BoltCmdCode.goAway;
  }

  get requestId(): number {
    return this.raw.readUInt32BE(this.layout.idAt);
  }

  /** the serializer byte (1 = Hessian2) */
  get codecType(): number {
    return this.raw[this.layout.codecAt]!;
  }

  /** Bolt v2 `ver1` and `switch` bytes; 0 in v1 */
  get ver1(): number {
    return this.layout.ver1At < 0 ? 0 : this.raw[this.layout.ver1At]!;
  }

  get switchCode(): number {
    return this.layout.switchAt < 0 ? 0 : this.raw[this.layout.switchAt]!;
  }

  /** Requests: the timeout field as sent (0 unset, -1 none). Responses: -1, like MOSN. */
  get timeoutMs(): number {
    return this.type === BoltCmdType.response ? -1 : this.raw.readInt32BE(this.layout.timeoutAt);
  }

  /** Responses: respstatus; requests: 0. */
  get status(): number {
    return this.type === BoltCmdType.response ? this.raw.readUInt16BE(this.layout.statusAt) : 0;
  }

  get #headerLength(): number {
    return this.type === BoltCmdType.response ? this.layout.responseHeaderLength : this.layout.requestHeaderLength;
  }

  get #lengthsAt(): number {
    return this.type === BoltCmdType.response ? this.layout.responseLengthsAt : this.layout.requestLengthsAt;
  }

  get className(): string {
    const start = this.#headerLength;
    return this.raw.toString('latin1', start, start + this.raw.readUInt16BE(this.#lengthsAt));
  }

  /** The serialized body, opaque to the proxy (a view of `raw`). */
  get content(): Buffer {
    const lengthsAt = this.#lengthsAt;
    const start = this.#headerLength + this.raw.readUInt16BE(lengthsAt) + this.raw.readUInt16BE(lengthsAt + 2);
    return this.raw.subarray(start, this.raw.length - crcLengthOfFrame(this.raw));
  }

  /** One header; before headers() has run, found by scanning the bytes (no map, one string). */
  header(name: string): string | undefined {
    if (this.#headers !== undefined || !isAscii(name)) return this.headers().get(name);
    const lengthsAt = this.#lengthsAt;
    const headerMapLength = this.raw.readUInt16BE(lengthsAt + 2);
    if (headerMapLength === 0) return undefined;
    const start = this.#headerLength + this.raw.readUInt16BE(lengthsAt);
    return findHeader(this.raw, start, start + headerMapLength, name);
  }

  /**
   * The SOFA header map, decoded on first use. A malformed map throws CodecError on every call
   * (framing is intact, so the stream layer can answer with a codec-exception response).
   */
  headers(): ReadonlyMap<string, string> {
    if (this.#headers !== undefined) return this.#headers;
    const lengthsAt = this.#lengthsAt;
    const headerMapLength = this.raw.readUInt16BE(lengthsAt + 2);
    if (headerMapLength === 0) {
      this.#headers = EMPTY_HEADERS;
    } else {
      const start = this.#headerLength + this.raw.readUInt16BE(lengthsAt);
      this.#headers = decodeHeaderMap(this.raw, start, start + headerMapLength);
    }
    return this.#headers;
  }
}
