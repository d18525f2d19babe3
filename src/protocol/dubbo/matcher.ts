import type { MatchResult } from '../../api/rpc-codec.ts';
import { DUBBO_MAGIC_HIGH, DUBBO_MAGIC_LOW } from './constants.ts';

/**
 * The magic 0xda 0xbb. MOSN waits for a whole 16-byte header before deciding; the magic is in
 * the first two bytes, so we decide as soon as they are here (a first byte other than 0xda
 * is 'no' at once). The decoder still waits for the header.
 */
export function matchDubbo(head: Buffer): MatchResult {
  if (head.length === 0) return 'more';
  if (head[0] !== DUBBO_MAGIC_HIGH) return 'no';
  if (head.length === 1) return 'more';
  return head[1] === DUBBO_MAGIC_LOW ? 'match' : 'no';
}
