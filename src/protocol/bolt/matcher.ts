import type { MatchResult } from '../../api/rpc-codec.ts';
import { BoltProtocolCode } from './constants.ts';

/** MOSN boltMatcher: the first byte is 0x01. */
export function matchBolt(head: Buffer): MatchResult {
  if (head.length === 0) return 'more';
  return head[0] === BoltProtocolCode.v1 ? 'match' : 'no';
}
