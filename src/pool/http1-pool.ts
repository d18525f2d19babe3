// Keep-alive pool of upstream HTTP/1.1 connections to one host, in one worker (ping-pong: one
// request per connection at a time). Idle connections are reused newest first and closed after
// the cluster's idle timeout or max requests; a connection the upstream closes while idle leaves
// the pool at once. When circuit_breakers.max_connections is reached, requests wait (up to
// max_pending_requests, across all workers) for a connection to come free.
import type { Cluster, ConnectFailure, UpstreamHost } from '../api/cluster.ts';
import type { Http1Limits } from '../protocol/http1/decoder.ts';
import { Http1ClientConnection, type ClientConnectionHooks } from '../stream/http1/client-connection.ts';

export interface PoolWaiter {
  onPoolReady(conn: Http1ClientConnection): void;
  onPoolFailure(reason: ConnectFailure | 'pending-overflow'): void;
}

export interface Http1PoolOptions {
  limits: Http1Limits;
  /** close a connection idle this long; 0 = never */
  idleTimeoutMs: number;
  /** 0 = unlimited */
  maxRequestsPerConnection: number;
  countRead(host: UpstreamHost, bytes: number): void;
  countWrite(host: UpstreamHost, bytes: number): void;
  /** process-wide pending-requests counter for this cluster */
  acquirePending(): boolean;
  releasePending(): void;
  /** circuit_breakers.max_connections is set: connection slots are shared with other workers */
  limitedConnections: boolean;
  /** a cluster connection slot looks free (process-wide) */
  slotFree(): boolean;
  /** requests of this cluster waiting for a connection, in every worker */
  pendingAnywhere(): number;
}

/**
 * With max_connections, a slot freed in another worker sends no event here: waiters retry this
 * often, and a pool with idle connections checks this often whether others wait for a slot.
 */
const SLOT_POLL_MS = 20;

export class Http1Pool implements ClientConnectionHooks {
  readonly host: UpstreamHost;
  readonly #cluster: Cluster;
  readonly #opts: Http1PoolOptions;
  readonly #idle: Http1ClientConnection[] = [];
  /** when each idle connection went idle (parallel to #idle) */
  readonly #idleSince: number[] = [];
  readonly #waiting: PoolWaiter[] = [];
  #connecting = 0;
  #sweep: NodeJS.Timeout | undefined;
  #slotPoll: NodeJS.Timeout | undefined;

  constructor(cluster: Cluster, host: UpstreamHost, opts: Http1PoolOptions) {
    this.#cluster = cluster;
    this.host = host;
    this.#opts = opts;
  }

  /** Hands `waiter` a connection: an idle one now, a new one when connected, or a failure. */
  acquire(waiter: PoolWaiter): void {
    const idle = this.#idle;
    while (idle.length > 0) {
      const conn = idle.pop()!;
      this.#idleSince.pop();
      if (!conn.alive) continue;
      waiter.onPoolReady(conn);
      return;
    }
    this.#open(waiter, false);
  }

  /** A waiter that gave up (timeout, downstream gone) leaves the queue. */
  cancel(waiter: PoolWaiter): void {
    const i = this.#waiting.indexOf(waiter);
    if (i >= 0) {
      this.#waiting.splice(i, 1);
      this.#opts.releasePending();
    }
  }

  /** Dials for `waiter`; `pending`: it holds a pending-request unit (it came from the queue). */
  #open(waiter: PoolWaiter, pending: boolean): void {
    this.#connecting++;
    this.#cluster.connect(this.host, {
      onConnect: (upstream) => {
        this.#connecting--;
        if (pending) this.#opts.releasePending();
        const conn = new Http1ClientConnection(upstream, this.#opts.limits, this);
        waiter.onPoolReady(conn);
      },
      onFailure: (reason) => {
        this.#connecting--;
        if (reason !== 'overflow') {
          if (pending) this.#opts.releasePending();
          waiter.onPoolFailure(reason);
        } else if (pending) {
          // still no slot: back to the head of the queue, keeping its pending unit
          this.#waiting.unshift(waiter);
          this.#pollSlots();
        } else {
          this.#wait(waiter);
        }
      },
    });
  }

  #wait(waiter: PoolWaiter): void {
    if (!this.#opts.acquirePending()) {
      waiter.onPoolFailure('pending-overflow');
      return;
    }
    this.#waiting.push(waiter);
    this.#pollSlots();
  }

  /** While requests wait, retry for a slot now and then: another worker may have freed one. */
  #pollSlots(): void {
    if (this.#slotPoll !== undefined || !this.#opts.limitedConnections) return;
    this.#slotPoll = setInterval(() => {
      if (this.#waiting.length === 0) {
        clearInterval(this.#slotPoll);
        this.#slotPoll = undefined;
        return;
      }
      if (this.#connecting === 0 && this.#opts.slotFree()) this.#serveWaiter();
    }, SLOT_POLL_MS);
    this.#slotPoll.unref();
  }

  // ---- ClientConnectionHooks ----

  countRead(bytes: number): void {
    this.#opts.countRead(this.host, bytes);
  }

  countWrite(bytes: number): void {
    this.#opts.countWrite(this.host, bytes);
  }

  exchangeDone(conn: Http1ClientConnection, reusable: boolean): void {
    const max = this.#opts.maxRequestsPerConnection;
    if (!reusable || (max > 0 && conn.requests >= max)) {
      // the next waiter is served from closed(), once the connection's slot is really free
      conn.upstream.close();
      return;
    }
    const next = this.#waiting.shift();
    if (next !== undefined) {
      this.#opts.releasePending();
      next.onPoolReady(conn);
      return;
    }
    // requests of another worker wait for a connection slot: give this one up rather than idle on it
    if (this.#opts.limitedConnections && this.#opts.pendingAnywhere() > 0) {
      conn.upstream.close();
      return;
    }
    this.#idle.push(conn);
    this.#idleSince.push(performance.now());
    if (this.#sweep === undefined && this.#opts.idleTimeoutMs > 0) this.#startSweep();
  }

  /**
   * Idle connections past the idle timeout are closed by one periodic sweep per pool rather
   * than a timer per connection (re-armed on every request). Oldest idle ones sit at the bottom.
   * With max_connections the sweep also hands idle slots over to other workers' waiters.
   */
  #startSweep(): void {
    const limited = this.#opts.limitedConnections;
    const every = limited ? SLOT_POLL_MS : Math.max(50, Math.min(this.#opts.idleTimeoutMs / 2, 5_000));
    this.#sweep = setInterval(() => {
      const cutoff = limited && this.#opts.pendingAnywhere() > this.#waiting.length ? Infinity : performance.now() - this.#opts.idleTimeoutMs;
      let n = 0;
      while (n < this.#idle.length && this.#idleSince[n]! <= cutoff) n++;
      const expired = this.#idle.splice(0, n);
      this.#idleSince.splice(0, n);
      for (const c of expired) c.upstream.close();
      if (this.#idle.length === 0) {
        clearInterval(this.#sweep);
        this.#sweep = undefined;
      }
    }, every);
    this.#sweep.unref();
  }

  /** A connection obtained for a request that no longer needs it. */
  putBack(conn: Http1ClientConnection): void {
    this.exchangeDone(conn, conn.alive);
  }

  closed(conn: Http1ClientConnection): void {
    const i = this.#idle.indexOf(conn);
    if (i >= 0) {
      this.#idle.splice(i, 1);
      this.#idleSince.splice(i, 1);
    }
    this.#serveWaiter();
  }

  /** A connection slot may have come free: try to open one for the oldest waiter. */
  #serveWaiter(): void {
    const next = this.#waiting.shift();
    if (next === undefined) return;
    this.#open(next, true);
  }
}
