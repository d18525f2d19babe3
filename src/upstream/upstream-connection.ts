// One counted TCP connection to an upstream host: connect timeout, and on close the host's
// connection stats (active gauge, close reason, lifetime histogram) and the cluster's
// connection count for circuit_breakers.max_connections.
import net from 'node:net';
import type { ConnectCallbacks, UpstreamConnection } from '../api/cluster.ts';
import type { StatsSink } from '../api/stats.ts';
import { CONNECTION_BUCKETS, hostScope } from '../metrics/catalog.ts';
import { SHARED_READ } from '../network/shared-read-buffer.ts';
import type { UpstreamCounters } from '../shared/upstream-counters.ts';
import type { SharedHost } from './shared-host.ts';

const H = hostScope.offset;

export class CountedUpstreamConnection implements UpstreamConnection {
  readonly host: SharedHost;
  readonly socket: net.Socket;
  #connected = false;
  #localClose = false;
  #openedAt = 0;

  constructor(
    host: SharedHost,
    connectTimeoutMs: number,
    clusterConnSlot: number,
    stats: StatsSink,
    counters: UpstreamCounters,
    callbacks: ConnectCallbacks,
  ) {
    this.host = host;
    const base = host.statsBase;
    stats.inc(base + H.connectionTotal);
    counters.increment(host.activeConnectionsSlot);
    const socket = net.connect({ host: host.ip, port: host.port, noDelay: true, allowHalfOpen: true, onread: SHARED_READ });
    this.socket = socket;
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      stats.inc(base + H.connectionConFail);
      stats.inc(base + H.connectionConnectTimeout);
      socket.destroy();
      callbacks.onFailure('timeout', undefined);
    }, connectTimeoutMs);
    socket.once('connect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.#connected = true;
      this.#openedAt = performance.now();
      callbacks.onConnect(this);
    });
    socket.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stats.inc(base + H.connectionConFail);
      callbacks.onFailure('refused', err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      counters.decrement(host.activeConnectionsSlot);
      counters.decrement(clusterConnSlot);
      if (!this.#connected) return;
      stats.inc(base + H.connectionClose);
      stats.inc(base + (this.#localClose ? H.connectionLocalClose : H.connectionRemoteClose));
      stats.observe(base + H.connectionDuration, CONNECTION_BUCKETS, (performance.now() - this.#openedAt) / 1000);
    });
  }

  close(): void {
    if (!this.socket.destroyed) this.#localClose = true;
    this.socket.destroy();
  }

  /** Ends our side gracefully (half-close); still counted as a local close if it ends there. */
  end(): void {
    this.socket.end();
  }
}
