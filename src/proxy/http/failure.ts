// What the proxy answers when it cannot get a response from upstream, and the response flag it
// logs (Envoy's short names in access logs). No route 404, no healthy host / overflow 503,
// connect failure / reset / bad upstream framing 502, timeout 504.
import { ResponseFlag } from '../../api/status.ts';

export type FailureKind =
  | 'no-route'
  | 'no-healthy-host'
  | 'overflow'
  | 'retry-overflow'
  | 'connect-failure'
  | 'upstream-reset'
  | 'upstream-protocol-error'
  | 'timeout';

export interface FailureReply {
  status: number;
  flag: number;
  body: string;
}

export const FAILURES: Record<FailureKind, FailureReply> = {
  'no-route': { status: 404, flag: ResponseFlag.noRouteFound, body: 'no route matched\n' },
  'no-healthy-host': { status: 503, flag: ResponseFlag.noHealthyUpstream, body: 'no healthy upstream\n' },
  overflow: { status: 503, flag: ResponseFlag.upstreamOverflow, body: 'upstream overflow (circuit breaker)\n' },
  'retry-overflow': { status: 503, flag: ResponseFlag.retryOverflow, body: 'upstream overflow (retry budget)\n' },
  'connect-failure': { status: 502, flag: ResponseFlag.upstreamConnectionFailure, body: 'upstream connect error\n' },
  'upstream-reset': { status: 502, flag: ResponseFlag.upstreamRemoteReset, body: 'upstream reset before response\n' },
  'upstream-protocol-error': { status: 502, flag: ResponseFlag.upstreamProtocolError, body: 'upstream sent an invalid response\n' },
  timeout: { status: 504, flag: ResponseFlag.upstreamRequestTimeout, body: 'upstream request timeout\n' },
};

const FLAG_NAMES: Array<[number, string]> = [
  [ResponseFlag.noHealthyUpstream, 'UH'],
  [ResponseFlag.upstreamRequestTimeout, 'UT'],
  [ResponseFlag.upstreamLocalReset, 'LR'],
  [ResponseFlag.upstreamRemoteReset, 'UR'],
  [ResponseFlag.upstreamConnectionFailure, 'UF'],
  [ResponseFlag.upstreamConnectionTermination, 'UC'],
  [ResponseFlag.upstreamOverflow, 'UO'],
  [ResponseFlag.noRouteFound, 'NR'],
  [ResponseFlag.delayInjected, 'DI'],
  [ResponseFlag.faultInjected, 'FI'],
  [ResponseFlag.rateLimited, 'RL'],
  [ResponseFlag.reqEntityTooLarge, 'TL'],
  [ResponseFlag.downstreamTerminate, 'DC'],
  [ResponseFlag.upstreamProtocolError, 'UPE'],
  [ResponseFlag.downstreamProtocolError, 'DPE'],
  [ResponseFlag.retryOverflow, 'URX'],
  [ResponseFlag.retriesExhausted, 'URX'],
];

/** Envoy-style short names joined by ",", or "-" when no flag is set. */
export function flagNames(flags: number): string {
  if (flags === 0) return '-';
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit && !out.includes(name)) out.push(name);
  return out.join(',');
}
