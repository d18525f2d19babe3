import type { MatchResult } from '../../api/rpc-codec.ts';
import { BoltProtocolCode } from '../bolt/constants.ts';

/** MOSN boltv2Matcher: the first byte is 0x02. */
export function matchBoltV2(head: Buffer): MatchResult {
  if (head.length === 0) return 'more';
  return head[0] === BoltProtocolCode.v2 ? 'match' : 'no';
}
