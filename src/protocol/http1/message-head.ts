// A parsed request or response head. Header names and values are kept as offsets into the
// received bytes: forwarding copies byte ranges, and strings are made only for what is read
// (method, target, Host, and headers a route asks for).
import { equalsLower, HeaderKind } from './constants.ts';

/** Per header: name start, name end, value start, value end, kind. */
export const FIELD_WIDTH = 5;

/** Until the parser gives a head its offsets array (frozen: a stray write throws). */
const NO_FIELDS: number[] = Object.freeze([]) as unknown as number[];

export class MessageHead {
  /** the head's bytes: start line through the empty line */
  buf: Buffer = Buffer.alloc(0);
  /** offset where the header lines start (after the start line's CRLF) */
  headersStart = 0;
  // request line
  method = '';
  target = '';
  // status line
  status = 0;
  /** reason phrase offsets in buf (read with `reason`) */
  reasonStart = 0;
  reasonEnd = 0;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 */
  versionMinor = 1;
  /** a plain array of small integers: cheaper to create than a typed array */
  fields: number[] = NO_FIELDS;
  count = 0;
  /** -1 when absent */
  contentLength = -1;
  chunked = false;
  /** Connection tokens */
  connClose = false;
  connKeepAlive = false;
  connUpgrade = false;
  /** the Connection header names other headers (they are hop-by-hop too) */
  connOther = false;
  /** an Upgrade header is present */
  upgrade = false;
  expectContinue = false;
  /** Host header value (requests), '' when absent */
  host = '';
  /** how many fields are hop-by-hop (never forwarded as received) */
  hopByHop = 0;

  /** (The parser points `fields` at a reused scratch array while parsing: writes by index.) */
  addField(ns: number, ne: number, vs: number, ve: number, kind: HeaderKind): void {
    const f = this.fields;
    const at = this.count * FIELD_WIDTH;
    f[at] = ns;
    f[at + 1] = ne;
    f[at + 2] = vs;
    f[at + 3] = ve;
    f[at + 4] = kind;
    this.count++;
  }

  kindAt(i: number): HeaderKind {
    return this.fields[i * FIELD_WIDTH + 4] as HeaderKind;
  }

  nameAt(i: number): string {
    const f = this.fields;
    return this.buf.latin1Slice(f[i * FIELD_WIDTH]!, f[i * FIELD_WIDTH + 1]!);
  }

  valueAt(i: number): string {
    const f = this.fields;
    return this.buf.latin1Slice(f[i * FIELD_WIDTH + 2]!, f[i * FIELD_WIDTH + 3]!);
  }

  /** Value of a header by lower-case name; several lines are joined with ", " (RFC 9110 §5.3). */
  get(lowerName: string): string | undefined {
    const f = this.fields;
    let out: string | undefined;
    for (let i = 0; i < this.count; i++) {
      const o = i * FIELD_WIDTH;
      if (!equalsLower(this.buf, f[o]!, f[o + 1]!, lowerName)) continue;
      const v = this.buf.latin1Slice(f[o + 2]!, f[o + 3]!);
      out = out === undefined ? v : `${out}, ${v}`;
    }
    return out;
  }

  /** Index of the first header of this kind, or -1. */
  indexOfKind(kind: HeaderKind): number {
    const f = this.fields;
    for (let i = 0; i < this.count; i++) if (f[i * FIELD_WIDTH + 4] === kind) return i;
    return -1;
  }

  get reason(): string {
    return this.reasonEnd > this.reasonStart ? this.buf.latin1Slice(this.reasonStart, this.reasonEnd) : '';
  }

  /** Path of the target without the query (for routing). */
  path(): string {
    const q = this.target.indexOf('?');
    return q < 0 ? this.target : this.target.slice(0, q);
  }
}
