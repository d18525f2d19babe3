// Incremental, strict parser of one HTTP/1.1 message head (RFC 9112 §2–§6): start line, header
// lines, framing headers. Resumable at line granularity, so a head that trickles in byte by
// byte is scanned once, not once per byte. Anything outside the grammar is an HttpParseError.
import { CR, classifyHeader, COLON, equalsLower, FIELD_VALUE, HeaderKind, HTAB, LF, SP, TARGET, TCHAR } from './constants.ts';
import { FIELD_WIDTH, MessageHead } from './message-head.ts';
import { HttpParseError } from './parse-error.ts';

export interface HeadLimits {
  /** whole head, start line included (431 beyond) */
  maxHeaderBytes: number;
  /** header lines (431 beyond) */
  maxHeaders: number;
  /** request line (414 beyond) */
  maxRequestLine: number;
}

/** RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. */
const MAX_LEADING_EMPTY_LINES = 4;
const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];

/**
 * Header offsets of the head being parsed, written here and copied once at the exact size when
 * the head is complete. One array serves every parser of the thread: a feed() runs to its end
 * before another starts, and a head still incomplete when feed() returns keeps its own copy.
 * (A scratch array per parser cost ~1.3 KB per connection, idle ones included.)
 */
const scratch: number[] = new Array<number>(FIELD_WIDTH * 32).fill(0);

export class HeadParser {
  readonly #request: boolean;
  readonly #limits: HeadLimits;
  /** the head being parsed; created when its first byte arrives, not ahead of time */
  #head: MessageHead | undefined;
  /** bytes kept while a head spans chunks */
  #acc: Buffer | undefined;
  #accLen = 0;
  /** next unparsed line, as an offset into the current buffer */
  #pos = 0;
  #sawStartLine = false;
  #leadingEmpty = 0;
  /** an upstream error is a 502 for the client, whatever the parse error */
  readonly #failStatus: number | undefined;

  constructor(request: boolean, limits: HeadLimits) {
    this.#request = request;
    this.#limits = limits;
    this.#failStatus = request ? undefined : 502;
  }

  /** true while part of a head has been seen */
  get inProgress(): boolean {
    return this.#acc !== undefined || this.#sawStartLine;
  }

  #fail(code: ConstructorParameters<typeof HttpParseError>[0], status: number, message: string): never {
    throw new HttpParseError(code, this.#failStatus ?? status, message);
  }

  /**
   * Parses from chunk[start]. Returns the offset just past the head when it is complete (take
   * it with `take()`), or -1 when every byte was used and the head needs more.
   */
  feed(chunk: Buffer, start: number): number {
    let buf: Buffer;
    let end: number;
    let base: number;
    const fromAcc = this.#acc !== undefined;
    if (!fromAcc) {
      buf = chunk;
      end = chunk.length;
      base = 0;
      if (!this.#sawStartLine) this.#pos = start;
    } else {
      base = this.#append(chunk, start);
      buf = this.#acc!;
      end = this.#accLen;
    }
    const headStart = fromAcc ? 0 : start;
    if (this.#head === undefined) {
      this.#head = new MessageHead();
    } else {
      // resuming a head: put its offsets back into the shared scratch
      const saved = this.#head.fields;
      for (let i = 0; i < saved.length; i++) scratch[i] = saved[i]!;
    }
    this.#head.fields = scratch;
    let pos = this.#pos;
    while (pos < end) {
      let lf = pos;
      while (lf < end && buf[lf] !== LF) lf++;
      if (lf === end) break;
      const done = this.#line(buf, pos, lf);
      pos = lf + 1;
      if (done) {
        this.#checkSize(pos - headStart);
        const head = this.#head!;
        head.buf = buf.subarray(headStart, pos);
        if (headStart !== 0) this.#rebase(headStart);
        this.#finish(head);
        head.fields = scratch.slice(0, head.count * FIELD_WIDTH);
        this.#reset();
        return fromAcc ? pos - base + start : pos;
      }
    }
    this.#pos = pos;
    this.#checkSize(end - headStart);
    if (this.#acc === undefined) this.#keep(chunk, headStart);
    const head = this.#head!;
    head.fields = scratch.slice(0, head.count * FIELD_WIDTH);
    return -1;
  }

  /** The head `feed` completed (one per completed feed). */
  take(): MessageHead {
    const h = this.#last!;
    this.#last = undefined;
    return h;
  }
  #last: MessageHead | undefined;

  #reset(): void {
    this.#last = this.#head;
    this.#head = undefined;
    this.#acc = undefined;
    this.#accLen = 0;
    this.#pos = 0;
    this.#sawStartLine = false;
    this.#leadingEmpty = 0;
  }

  #checkSize(bytes: number): void {
    if (!this.#sawStartLine && this.#request && bytes > this.#limits.maxRequestLine) {
      this.#fail('uri_too_long', 414, `request line longer than ${this.#limits.maxRequestLine} bytes`);
    }
    if (bytes > this.#limits.maxHeaderBytes) this.#fail('headers_too_large', 431, `head larger than ${this.#limits.maxHeaderBytes} bytes`);
  }

  /** First partial chunk: copy what we have and shift recorded offsets to the copy. */
  #keep(chunk: Buffer, from: number): void {
    const len = chunk.length - from;
    const acc = Buffer.allocUnsafe(Math.max(1024, len * 2));
    chunk.copy(acc, 0, from);
    this.#acc = acc;
    this.#accLen = len;
    this.#pos -= from;
    this.#rebase(from);
  }

  /** Appends a later chunk; returns how many bytes the accumulation held before it. */
  #append(chunk: Buffer, start: number): number {
    const before = this.#accLen;
    const add = chunk.length - start;
    let acc = this.#acc!;
    if (before + add > acc.length) {
      const grown = Buffer.allocUnsafe(Math.max(acc.length * 2, before + add));
      acc.copy(grown, 0, 0, before);
      this.#acc = acc = grown;
    }
    chunk.copy(acc, before, start);
    this.#accLen = before + add;
    return before;
  }

  #rebase(by: number): void {
    const h = this.#head!;
    const f = h.fields;
    for (let i = 0; i < h.count * FIELD_WIDTH; i += FIELD_WIDTH) {
      f[i]! -= by;
      f[i + 1]! -= by;
      f[i + 2]! -= by;
      f[i + 3]! -= by;
    }
    h.headersStart -= by;
    h.reasonStart -= by;
    h.reasonEnd -= by;
  }

  /** One line buf[s, lf) (lf = index of its LF). Returns true at the empty line ending the head. */
  #line(buf: Buffer, s: number, lf: number): boolean {
    if (lf === s || buf[lf - 1] !== CR) this.#fail('bare_lf', 400, 'line ends with a bare LF');
    const e = lf - 1;
    if (e === s) {
      if (this.#sawStartLine) return true;
      if (++this.#leadingEmpty > MAX_LEADING_EMPTY_LINES) this.#fail('bad_request_line', 400, 'too many empty lines before the request');
      return false;
    }
    if (!this.#sawStartLine) {
      if (this.#request) this.#requestLine(buf, s, e);
      else this.#statusLine(buf, s, e);
      this.#sawStartLine = true;
      this.#head!.headersStart = lf + 1;
      return false;
    }
    this.#headerLine(buf, s, e);
    return false;
  }

  #requestLine(buf: Buffer, s: number, e: number): void {
    if (e - s > this.#limits.maxRequestLine) this.#fail('uri_too_long', 414, `request line longer than ${this.#limits.maxRequestLine} bytes`);
    let i = s;
    while (i < e && TCHAR[buf[i]!]) i++;
    if (i === s || i >= e || buf[i] !== SP) this.#fail('bad_request_line', 400, 'malformed method');
    const head = this.#head!;
    head.method = methodName(buf, s, i);
    const ts = ++i;
    while (i < e && TARGET[buf[i]!]) i++;
    if (i === ts || i >= e || buf[i] !== SP) this.#fail('bad_request_line', 400, 'malformed request target');
    head.target = buf.latin1Slice(ts, i);
    this.#version(buf, i + 1, e, 'bad_request_line');
  }

  #statusLine(buf: Buffer, s: number, e: number): void {
    const head = this.#head!;
    const ve = s + 8;
    if (ve > e) this.#fail('bad_status_line', 502, 'malformed status line');
    this.#version(buf, s, ve, 'bad_status_line');
    if (buf[ve] !== SP) this.#fail('bad_status_line', 502, 'malformed status line');
    const d1 = buf[ve + 1]! - 0x30;
    const d2 = buf[ve + 2]! - 0x30;
    const d3 = buf[ve + 3]! - 0x30;
    if (ve + 4 > e || d1 < 1 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) this.#fail('bad_status_line', 502, 'malformed status code');
    head.status = d1 * 100 + d2 * 10 + d3;
    let r = ve + 4;
    if (r < e) {
      if (buf[r] !== SP) this.#fail('bad_status_line', 502, 'malformed status line');
      r++;
      for (let i = r; i < e; i++) if (!FIELD_VALUE[buf[i]!]) this.#fail('bad_status_line', 502, 'bad byte in reason phrase');
      head.reasonStart = r;
      head.reasonEnd = e;
    }
  }

  /** "HTTP/" DIGIT "." DIGIT at buf[s, e); only 1.0 and 1.1 are served (505 for the others). */
  #version(buf: Buffer, s: number, e: number, code: 'bad_request_line' | 'bad_status_line'): void {
    const major = buf[s + 5]! - 0x30;
    const minor = buf[s + 7]! - 0x30;
    if (
      e - s !== 8 || buf[s] !== 0x48 || buf[s + 1] !== 0x54 || buf[s + 2] !== 0x54 || buf[s + 3] !== 0x50 ||
      buf[s + 4] !== 0x2f || buf[s + 6] !== 0x2e || !(major >= 0 && major <= 9) || !(minor >= 0 && minor <= 9)
    ) {
      this.#fail(code, 400, 'malformed HTTP version');
    }
    if (major !== 1 || (minor !== 0 && minor !== 1)) this.#fail('bad_version', 505, 'only HTTP/1.0 and HTTP/1.1 are supported');
    this.#head!.versionMinor = minor;
  }

  #headerLine(buf: Buffer, s: number, e: number): void {
    const c0 = buf[s]!;
    if (c0 === SP || c0 === HTAB) this.#fail('obs_fold', 400, 'obsolete line folding');
    let i = s;
    while (i < e && TCHAR[buf[i]!]) i++;
    if (i === s || i >= e || buf[i] !== COLON) this.#fail('bad_header_name', 400, 'malformed header name');
    const ne = i;
    i++;
    while (i < e && (buf[i] === SP || buf[i] === HTAB)) i++;
    const vs = i;
    let ve = i;
    for (; i < e; i++) {
      const c = buf[i]!;
      if (!FIELD_VALUE[c]) this.#fail('bad_header_value', 400, 'bad byte in header value');
      if (c !== SP && c !== HTAB) ve = i + 1;
    }
    const head = this.#head!;
    if (head.count >= this.#limits.maxHeaders) this.#fail('too_many_headers', 431, `more than ${this.#limits.maxHeaders} headers`);
    const kind = classifyHeader(buf, s, ne);
    head.addField(s, ne, vs, ve, kind);
    switch (kind) {
      case HeaderKind.contentLength:
        if (head.contentLength >= 0) this.#fail('duplicate_content_length', 400, 'more than one Content-Length');
        head.contentLength = contentLength(buf, vs, ve);
        if (head.contentLength < 0) this.#fail('bad_content_length', 400, 'invalid Content-Length');
        break;
      case HeaderKind.transferEncoding:
        if (head.chunked) this.#fail('te_not_chunked', 400, 'more than one Transfer-Encoding');
        this.#transferEncoding(buf, vs, ve);
        head.hopByHop++;
        break;
      case HeaderKind.host:
        if (this.#request && head.host !== '') this.#fail('duplicate_host', 400, 'more than one Host');
        head.host = buf.latin1Slice(vs, ve);
        if (head.host === '' && this.#request) head.host = ' ';
        break;
      case HeaderKind.connection:
        connectionTokens(head, buf, vs, ve);
        head.hopByHop++;
        break;
      case HeaderKind.upgrade:
        head.upgrade = true;
        head.hopByHop++;
        break;
      case HeaderKind.expect:
        if (this.#request) {
          if (!equalsLower(buf, vs, ve, '100-continue')) this.#fail('expectation', 417, 'unsupported Expect');
          head.expectContinue = true;
        }
        head.hopByHop++;
        break;
      case HeaderKind.keepAlive:
      case HeaderKind.proxyConnection:
      case HeaderKind.te:
        head.hopByHop++;
        break;
    }
  }

  #transferEncoding(buf: Buffer, vs: number, ve: number): void {
    // The final coding must be chunked (RFC 9112 §6.3); we implement no other transfer coding.
    let last = ve;
    while (last > vs && buf[last - 1] !== 0x2c) last--;
    let ts = last;
    while (ts < ve && (buf[ts] === SP || buf[ts] === HTAB)) ts++;
    if (!equalsLower(buf, ts, ve, 'chunked')) this.#fail('te_not_chunked', this.#request ? 400 : 502, 'Transfer-Encoding does not end in chunked');
    if (last !== vs) this.#fail('te_unsupported', 501, 'transfer codings other than chunked are not implemented');
    this.#head!.chunked = true;
  }

  /** Whole-head rules (RFC 9112 §3.2, §6.1, §6.3). */
  #finish(head: MessageHead): void {
    if (head.chunked && head.contentLength >= 0) this.#fail('cl_and_te', 400, 'both Content-Length and Transfer-Encoding');
    if (this.#request) {
      if (head.chunked && head.versionMinor === 0) this.#fail('te_in_http10', 400, 'Transfer-Encoding in an HTTP/1.0 request');
      if (head.versionMinor === 1 && head.host === '') this.#fail('missing_host', 400, 'HTTP/1.1 request without Host');
    }
    if (head.connOther) markConnectionListed(head);
  }
}

function methodName(buf: Buffer, s: number, e: number): string {
  for (const m of METHODS) {
    if (m.length !== e - s) continue;
    let same = true;
    for (let i = 0; i < m.length; i++) {
      if (buf[s + i] !== m.charCodeAt(i)) {
        same = false;
        break;
      }
    }
    if (same) return m;
  }
  return buf.latin1Slice(s, e);
}

/** 1*DIGIT, at most 15 digits (exact in a double); -1 otherwise. */
function contentLength(buf: Buffer, s: number, e: number): number {
  if (e === s || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function connectionTokens(head: MessageHead, buf: Buffer, s: number, e: number): void {
  let i = s;
  while (i < e) {
    while (i < e && (buf[i] === SP || buf[i] === HTAB || buf[i] === 0x2c)) i++;
    const ts = i;
    while (i < e && buf[i] !== 0x2c) i++;
    let te = i;
    while (te > ts && (buf[te - 1] === SP || buf[te - 1] === HTAB)) te--;
    if (te === ts) continue;
    if (equalsLower(buf, ts, te, 'close')) head.connClose = true;
    else if (equalsLower(buf, ts, te, 'keep-alive')) head.connKeepAlive = true;
    else if (equalsLower(buf, ts, te, 'upgrade')) head.connUpgrade = true;
    else head.connOther = true;
  }
}

/**
 * Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1) — except framing and routing
 * headers, which a Connection nomination never removes (a known desync trick).
 */
function markConnectionListed(head: MessageHead): void {
  const ci = head.indexOfKind(HeaderKind.connection);
  if (ci < 0) return;
  const tokens = (head.get('connection') ?? '').toLowerCase().split(',').map((t) => t.trim());
  const f = head.fields;
  for (let i = 0; i < head.count; i++) {
    const o = i * FIELD_WIDTH;
    if (f[o + 4] !== HeaderKind.other) continue;
    for (const t of tokens) {
      if (t !== '' && equalsLower(head.buf, f[o]!, f[o + 1]!, t)) {
        f[o + 4] = HeaderKind.connectionListed;
        head.hopByHop++;
        break;
      }
    }
  }
}
