// One proxied TCP connection: pick a host, connect (retrying other hosts up to
// max_connect_attempts), then join the two sockets with a SocketPipe (backpressure, half-close,
// idle timeout, flush-then-close).
import type { Socket } from 'node:net';
import type { Cluster, ConnectFailure, UpstreamConnection } from '../../../api/cluster.ts';
import type { FilterEnv } from '../../../api/filter.ts';
import type { Host } from '../../../api/upstream.ts';
import { hostScope, listenerScope } from '../../../metrics/catalog.ts';
import { SocketPipe } from '../../../network/socket-pipe.ts';

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
  #pipe: SocketPipe | undefined;
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
      if (this.#pipe === undefined) this.#abort();
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
    this.#up = up;
    const stats = this.#env.stats;
    const lb = this.#env.listener.statsBase;
    const hb = up.host.statsBase;
    const head = this.#head;
    this.#head = undefined;
    this.#pipe = new SocketPipe(this.#down, up.socket, { idleTimeoutMs: this.#idleTimeoutMs, aHead: head }, {
      aToB: (n) => {
        stats.add(lb + L.bytesRead, n);
        stats.add(hb + H.bytesWrite, n);
      },
      bToA: (n) => {
        stats.add(hb + H.bytesRead, n);
        stats.add(lb + L.bytesWrite, n);
      },
      idle: () => stats.inc(lb + L.connectionIdleTimeout),
      closed: () => {
        this.#closed = true;
      },
    });
  }

  /** No upstream (none healthy, connect failed, downstream gone first): the downstream goes. */
  #abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pipe !== undefined) this.#pipe.destroy();
    else {
      this.#up?.close();
      this.#down.destroy();
    }
  }
}
