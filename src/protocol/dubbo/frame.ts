// One decoded Dubbo frame: the raw bytes plus lazily read routing headers. Fields are read
// from the bytes on access; the Hessian body is touched only by header()/headers(), and only
// as deep as the asked header needs (see request-body.ts).
import type { RpcFrame, RpcFrameKind } from '../../api/rpc-codec.ts';
import { CodecError } from '../../common/errors.ts';
import { DUBBO_HEADER_LENGTH, DUBBO_SERIALIZATION_HESSIAN2, DubboFlag, DubboOffset } from './constants.ts';
import { type DubboRequestPrefix, readRequestHeaders, readRequestPrefix } from './request-body.ts';

const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

export class DubboFrame implements RpcFrame {
  readonly raw: Buffer;
  readonly #attachmentsOverride: boolean;
  #prefix: DubboRequestPrefix | undefined;
  #headers: ReadonlyMap<string, string> | undefined;

  constructor(raw: Buffer, attachmentsOverride: boolean) {
    this.raw = raw;
    this.#attachmentsOverride = attachmentsOverride;
  }

  get protocol(): string {
    return 'dubbo';
  }

  get flag(): number {
    return this.raw[DubboOffset.flag]!;
  }

  /** Requests without the two-way bit are one-way (MOSN treats them as two-way). */
  get kind(): RpcFrameKind {
    const flag = this.flag;
    if ((flag & DubboFlag.request) === 0) return 'response';
    return (flag & DubboFlag.twoWay) !== 0 ? 'request' : 'oneway';
  }

  /** Any event frame, as in MOSN (Dubbo's heartbeat and read-only events). */
  get heartbeat(): boolean {
    return (this.flag & DubboFlag.event) !== 0;
  }

  get goAway(): boolean {
    return false;
  }

  get requestId(): number {
    return this.raw.readUInt32BE(DubboOffset.id) * 0x1_0000_0000 + this.raw.readUInt32BE(DubboOffset.id + 4);
  }

  /** The request timeout travels in the attachments; like MOSN, not read: the route's applies. */
  get timeoutMs(): number {
    return 0;
  }

  /** Responses: the status byte; requests: 0. */
  get status(): number {
    return (this.flag & DubboFlag.request) === 0 ? this.raw[DubboOffset.status]! : 0;
  }

  get serializationId(): number {
    return this.flag & DubboFlag.serializationMask;
  }

  get body(): Buffer {
    return this.raw.subarray(DUBBO_HEADER_LENGTH);
  }

  /**
   * `dubbo`, `service`, `version`, `method` read the body's first four values; anything else
   * (`group`, `interface`, other string attachments) reads the whole body. Responses and
   * events have no headers. Throws CodecError on a body that is not Hessian 2 or is malformed.
   */
  header(name: string): string | undefined {
    if (!this.#routable()) return undefined;
    if (this.#headers === undefined && !this.#attachmentsOverride && isPrefixHeader(name)) {
      this.#prefix ??= readRequestPrefix(this.body);
      return this.#prefix[name];
    }
    return this.headers().get(name);
  }

  headers(): ReadonlyMap<string, string> {
    if (!this.#routable()) return EMPTY_HEADERS;
    this.#headers ??= readRequestHeaders(this.body, this.#attachmentsOverride);
    return this.#headers;
  }

  #routable(): boolean {
    const flag = this.flag;
    if ((flag & DubboFlag.request) === 0 || (flag & DubboFlag.event) !== 0) return false;
    if ((flag & DubboFlag.serializationMask) !== DUBBO_SERIALIZATION_HESSIAN2) {
      throw new CodecError('ERR_CODEC_UNSUPPORTED', `dubbo: serialization ${this.serializationId} is not hessian2`);
    }
    return true;
  }
}

function isPrefixHeader(name: string): name is keyof DubboRequestPrefix {
  return name === 'service' || name === 'method' || name === 'version' || name === 'dubbo';
}
