// One proxied TCP connection: pick a host, connect (retrying other hosts up to
// max_connect_attempts), then pump bytes both ways with backpressure (a full write buffer pauses
// the other side's reads until 'drain'), pass half-closes through (FIN one way keeps the other
// way open), and close both sides on error, reset or idle timeout.
import type { Socket } from 'node:net';
import type { Cluster, ConnectFailure, UpstreamConnection } from '../../../api/cluster.ts';
import type { FilterEnv } from '../../../api/filter.ts';
import type { Host } from '../../../api/upstream.ts';
import { hostScope, listenerScope } from '../../../metrics/catalog.ts';

const L = listenerScope.offset;
const H = hostScope.offset;

export class TcpProxySession {
  readonly #down: Socket;
  readonly #env: FilterEnv;
  readonly #cluster: Cluster;
  readonly #idleTimeoutMs: number;
  #attemptsLeft: number;
  #head: Buffer | undefined;
  #up: UpstreamConnection | undefined;
  #closed = false;
  /** one side closed cleanly; the other is flushing */
  #closing = false;
  readonly #tried: Host[] = [];

  constructor(down: Socket, head: Buffer | undefined, cluster: Cluster, env: FilterEnv, idleTimeoutMs: number, maxConnectAttempts: number) {
    this.#down = down;
    this.#head = head;
    this.#env = env;
    this.#cluster = cluster;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#attemptsLeft = maxConnectAttempts;
    // Until the upstream answers the downstream stays paused; a reset meanwhile ends the attempt.
    down.on('error', () => this.#abort());
    down.on('close', (hadError) => (hadError ? this.#abort() : this.#sideClosed(this.#up?.socket)));
    this.#connect();
  }

  #connect(): void {
    const host = this.#cluster.chooseHost({ tried: this.#tried });
    if (!host) {
      this.#abort();
      return;
    }
    this.#tried.push(host);
    this.#attemptsLeft--;
    this.#cluster.connect(host, {
      onConnect: (up) => this.#onConnect(up),
      onFailure: (reason) => this.#onFailure(reason),
    });
  }

  #onFailure(reason: ConnectFailure): void {
    if (this.#closed) return;
    if (reason !== 'overflow' && this.#attemptsLeft > 0) {
      this.#connect();
      return;
    }
    this.#env.logger.debug({ listener: this.#env.listener.name, cluster: this.#cluster.name, reason }, 'tcp_proxy: upstream connect failed');
    this.#abort();
  }

  #onConnect(up: UpstreamConnection): void {
    if (this.#closed) {
      up.close();
      return;
    }
    this.#up = up;
    const down = this.#down;
    const sock = up.socket;
    const stats = this.#env.stats;
    const lb = this.#env.listener.statsBase;
    const hb = up.host === undefined ? 0 : (up.host as Host & { statsBase: number }).statsBase;

    if (this.#head) {
      stats.add(hb + H.bytesWrite, this.#head.length);
      sock.write(this.#head);
      this.#head = undefined;
    }
    down.on('data', (chunk: Buffer) => {
      stats.add(lb + L.bytesRead, chunk.length);
      stats.add(hb + H.bytesWrite, chunk.length);
      if (!sock.write(chunk)) down.pause();
    });
    sock.on('drain', () => down.resume());
    sock.on('data', (chunk: Buffer) => {
      stats.add(hb + H.bytesRead, chunk.length);
      stats.add(lb + L.bytesWrite, chunk.length);
      if (!down.write(chunk)) sock.pause();
    });
    down.on('drain', () => sock.resume());
    // Half-close: a FIN from one side is passed on; the other direction keeps flowing.
    down.on('end', () => sock.end());
    sock.on('end', () => down.end());
    sock.on('error', () => this.#abort());
    sock.on('close', (hadError) => (hadError ? this.#abort() : this.#sideClosed(down)));
    const onIdle = (): void => {
      if (this.#closed) return;
      // a side left flushing after the other closed is cut by the same timer, uncounted
      if (!this.#closing) stats.inc(lb + L.connectionIdleTimeout);
      this.#abort();
    };
    down.setTimeout(this.#idleTimeoutMs, onIdle);
    sock.setTimeout(this.#idleTimeoutMs, onIdle);
    down.resume();
  }

  /**
   * One side closed cleanly (FIN both ways on it, so its FIN was passed on): the other side
   * flushes what it still holds and closes; a peer that never reads is cut by the idle timeout.
   */
  #sideClosed(other: Socket | undefined): void {
    if (this.#closed || this.#closing) return;
    if (!other) {
      this.#abort();
      return;
    }
    this.#closing = true;
    if (other.destroyed) return;
    if (other.writableFinished) {
      other.destroy();
      return;
    }
    other.once('finish', () => other.destroy());
    other.end();
  }

  /** An error, a reset, an idle timeout or no upstream: both sides go now. */
  #abort(): void {
    if (this.#closed) return;
    this.#closing = false;
    this.#closed = true;
    if (this.#up) this.#up.close();
    this.#down.destroy();
  }
}
