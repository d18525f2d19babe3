// First-bytes detection of HTTP/1 for Auto listeners (MOSN: the bytes start with a method).
import type { MatchResult } from '../../api/rpc-codec.ts';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'LINK', 'UNLINK'].map((m) => Buffer.from(`${m} `, 'latin1'));

export function matchHttp1(head: Buffer): MatchResult {
  let more = false;
  for (const m of METHODS) {
    const n = Math.min(m.length, head.length);
    if (head.compare(m, 0, n, 0, n) !== 0) continue;
    if (n === m.length) return 'match';
    more = true;
  }
  return more ? 'more' : 'no';
}
