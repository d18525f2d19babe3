// HTTP/1.1 Upgrade (WebSocket) and CONNECT: after a 101 from the upstream, or once the proxy has
// connected to a host of the route's cluster for a CONNECT (and answered 200), both connections
// stop being HTTP and become one byte tunnel, with the listener's idle timeout.
import type { UpstreamHost } from '../../api/cluster.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { relayStats } from '../../network/relay-stats.ts';
import { SocketPipe } from '../../network/socket-pipe.ts';
import { downstreamHeaderLines } from './downstream-head.ts';
import type { DownstreamRequest } from './downstream-request.ts';
import { responseOverlay } from './route-headers.ts';
import type { UpstreamRequest } from './upstream-request.ts';


function join(r: DownstreamRequest, upstream: import('node:net').Socket, upstreamHead: Buffer | undefined, host: UpstreamHost, done: () => void): void {
  const down = r.stream.upgradeToTunnel();
  const { stats, listener, options } = r.ctx;
  const counted = relayStats(stats, listener.statsBase, host.statsBase, () => {
    done();
    r.tunnelClosed();
  });
  new SocketPipe(down.socket, upstream, { idleTimeoutMs: options.idleTimeoutMs, aHead: down.head, bHead: upstreamHead }, counted);
}

/** The upstream switched protocols: relay the 101 and join the sockets. */
export function startUpgradeTunnel(r: DownstreamRequest, up: UpstreamRequest, head: MessageHead): void {
  const conn = up.conn!;
  r.tunneling = true;
  r.responseCode = 101;
  up.recordResponse(101);
  r.vars.responseStarted();
  r.stream.respond(101, head.reason, downstreamHeaderLines(head, responseOverlay(r, head), true), 'none');
  const rest = conn.detachForTunnel();
  join(r, conn.socket, rest, up.host, () => up.finish(true));
}

/** CONNECT: dial a host of the route's cluster, answer 200, then tunnel. */
export function startConnectTunnel(r: DownstreamRequest): void {
  const cluster = r.cluster!;
  const host = cluster.chooseHost(r);
  if (host === undefined) return r.fail('no-healthy-host');
  cluster.connect(host, {
    onConnect: (uc) => {
      if (r.done) {
        uc.close();
        return;
      }
      r.tunneling = true;
      r.responseCode = 200;
      r.vars.responseStarted();
      r.stream.respond(200, 'Connection Established', '', 'none');
      join(r, uc.socket, undefined, host, () => undefined);
    },
    onFailure: (reason) => r.fail(reason === 'overflow' ? 'overflow' : 'connect-failure'),
  });
}
