// One proxied TCP connection: pick a host, connect (retrying other hosts up to
// max_connect_attempts), then join the two sockets with a SocketPipe (backpressure, half-close,
// idle timeout, flush-then-close).
import type { Socket } from 'node:net';
import type { Cluster, ConnectFailure, UpstreamConnection } from '../../../api/cluster.ts';
import type { FilterEnv } from '../../../api/filter.ts';
import type { Host } from '../../../api/upstream.ts';
import { relayStats } from '../../../network/relay-stats.ts';
import { SocketPipe } from '../../../network/socket-pipe.ts';

export class TcpProxySession {
  readonly #down: Socket;
  readonly #env: FilterEnv;
  readonly #cluster: Cluster;
  readonly #idleTimeoutMs: number;
  #attemptsLeft: number;
  #head: Buffer | undefined;
  /** the downstream went away, or no upstream could be had */
  #closed = false;
  /** the sockets are joined: from then on the SocketPipe owns both */
  #joined = false;
  readonly #tried: Host[] = [];

  constructor(down: Socket, head: Buffer | undefined, cluster: Cluster, env: FilterEnv, idleTimeoutMs: number, maxConnectAttempts: number) {
    this.#down = down;
    this.#head = head;
    this.#env = env;
    this.#cluster = cluster;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#attemptsLeft = maxConnectAttempts;
    // Until the upstream answers the downstream stays paused; a reset meanwhile ends the attempt.
    const early = (): void => {
      if (!this.#joined) this.#abort();
    };
    down.on('error', early);
    down.on('close', early);
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
    this.#joined = true;
    const head = this.#head;
    this.#head = undefined;
    const counted = relayStats(this.#env.stats, this.#env.listener.statsBase, up.host.statsBase, () => {});
    new SocketPipe(this.#down, up.socket, { idleTimeoutMs: this.#idleTimeoutMs, aHead: head }, counted);
  }

  /**
   * Before the sockets are joined: no upstream (none healthy, connect failed) or the downstream
   * went first. A connect still in flight finds #closed and closes its socket.
   */
  #abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#down.destroy();
  }
}
