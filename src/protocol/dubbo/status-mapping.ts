// MOSN's dubboMosnStatusMap (dubbo/types.go): the status byte and the message of a reply the
// proxy makes up, per proxy status. MOSN has no Dubbo -> HTTP table (its HTTPMapping is nil);
// httpStatusOfDubbo is ours, for metrics and retries.
import { ProxyStatus } from '../../api/status.ts';
import { DubboStatus } from './constants.ts';

interface DubboReplyStatus {
  readonly status: number;
  readonly text: string;
}

const REPLY_STATUS: ReadonlyMap<number, DubboReplyStatus> = new Map([
  [ProxyStatus.codecError, { status: DubboStatus.serviceError, text: 'codec exception' }],
  [ProxyStatus.unknown, { status: DubboStatus.serviceError, text: 'unknown' }],
  [ProxyStatus.deserialError, { status: DubboStatus.serviceError, text: 'deserial exception' }],
  [ProxyStatus.success, { status: DubboStatus.ok, text: 'success' }],
  [ProxyStatus.permissionDenied, { status: DubboStatus.serverError, text: 'permission denied' }],
  [ProxyStatus.noRoute, { status: DubboStatus.serviceNotFound, text: 'router unavailable' }],
  [ProxyStatus.internalError, { status: DubboStatus.serviceError, text: 'internal error' }],
  [ProxyStatus.noHealthyUpstream, { status: DubboStatus.serviceNotFound, text: 'no health upstream' }],
  [ProxyStatus.upstreamOverflow, { status: DubboStatus.badRequest, text: 'upstream overflow' }],
  [ProxyStatus.timeout, { status: DubboStatus.clientTimeout, text: 'timeout' }],
  [ProxyStatus.limitExceeded, { status: DubboStatus.badRequest, text: 'limit exceeded' }],
]);

export function dubboStatusOf(status: ProxyStatus): number {
  return REPLY_STATUS.get(status)?.status ?? DubboStatus.serviceError;
}

/**
 * The error string MOSN puts in the body: "<proxy status>|<text>", e.g. "404|router
 * unavailable"; `message`, when given, replaces MOSN's fixed text.
 */
export function dubboErrorText(status: ProxyStatus, message: string): string {
  if (message !== '') return `${status}|${message}`;
  const known = REPLY_STATUS.get(status);
  return known === undefined ? `${status} status not define` : `${status}|${known.text}`;
}

export function httpStatusOfDubbo(status: number): number {
  switch (status) {
    case DubboStatus.ok:
      return 200;
    case DubboStatus.clientTimeout:
    case DubboStatus.serverTimeout:
      return 504;
    case DubboStatus.serverThreadpoolExhausted:
      return 503;
    default:
      return 500;
  }
}
