// The counting of a downstream<->upstream byte relay (tcp_proxy, HTTP Upgrade/CONNECT tunnels):
// bytes read from one side are bytes written to the other, for the listener and for the host,
// and an idle timeout counts against the listener.
import type { StatsSink } from '../api/stats.ts';
import { hostScope, listenerScope } from '../metrics/catalog.ts';
import type { PipeCallbacks } from './socket-pipe.ts';

const L = listenerScope.offset;
const H = hostScope.offset;

/** Callbacks for a SocketPipe whose side A is the downstream and side B the upstream host. */
export function relayStats(stats: StatsSink, listenerBase: number, hostBase: number, closed: () => void): PipeCallbacks {
  return {
    aToB: (n) => {
      stats.add(listenerBase + L.bytesRead, n);
      stats.add(hostBase + H.bytesWrite, n);
    },
    bToA: (n) => {
      stats.add(hostBase + H.bytesRead, n);
      stats.add(listenerBase + L.bytesWrite, n);
    },
    idle: () => stats.inc(listenerBase + L.connectionIdleTimeout),
    closed,
  };
}
