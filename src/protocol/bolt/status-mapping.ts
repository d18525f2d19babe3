// MOSN's two Bolt tables (bolt/protocol.go Mapping, bolt/mapping.go): proxy status -> Bolt
// respstatus for replies the proxy makes up, and Bolt respstatus -> HTTP-like code for metrics
// and retry decisions.
import { ProxyStatus } from '../../api/status.ts';
import { BoltStatus } from './constants.ts';

export function boltStatusOf(status: ProxyStatus): number {
  switch (status) {
    case ProxyStatus.success:
      return BoltStatus.success;
    case ProxyStatus.noRoute:
    case ProxyStatus.noHealthyUpstream:
      return BoltStatus.noProcessor;
    case ProxyStatus.upstreamOverflow:
      return BoltStatus.serverThreadpoolBusy;
    case ProxyStatus.codecError:
      return BoltStatus.codecException;
    case ProxyStatus.deserialError:
      return BoltStatus.serverDeserialException;
    case ProxyStatus.timeout:
      return BoltStatus.timeout;
    case ProxyStatus.permissionDenied:
      // Bolt has no permission-denied code; MOSN uses server exception
      return BoltStatus.serverException;
    default:
      return BoltStatus.unknown;
  }
}

export function httpStatusOfBolt(status: number): number {
  switch (status) {
    case BoltStatus.success:
      return 200;
    case BoltStatus.serverThreadpoolBusy:
      return 503;
    case BoltStatus.timeout:
      return 504;
    case BoltStatus.connectionClosed:
      return 502;
    default:
      return 500;
  }
}
