// Auto protocol detection (reference/mosn.md §2.1): each candidate looks at the first bytes and
// says match / no / more; the first match wins, any "more" waits for more bytes, else unknown.
import type { MatchResult } from '../../api/rpc-codec.ts';

export interface ProtocolMatcher<P extends string> {
  readonly protocol: P;
  match(head: Buffer): MatchResult;
}

/** The HTTP/2 client preface, recognised only to say "not supported" clearly. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export type Detection<P extends string> = { kind: 'match'; protocol: P } | { kind: 'more' } | { kind: 'unknown'; http2: boolean };

export function detectProtocol<P extends string>(head: Buffer, candidates: readonly ProtocolMatcher<P>[]): Detection<P> {
  let more = false;
  for (const c of candidates) {
    const r = c.match(head);
    if (r === 'match') return { kind: 'match', protocol: c.protocol };
    if (r === 'more') more = true;
  }
  if (more) return { kind: 'more' };
  const n = Math.min(head.length, H2_PREFACE.length);
  return { kind: 'unknown', http2: n >= 3 && head.compare(H2_PREFACE, 0, n, 0, n) === 0 };
}
