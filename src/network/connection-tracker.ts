// Every downstream connection a worker owns, per listener: counted in the listener's metrics
// and the worker's live-connection count (which the handoff accept loop balances on), and
// closed on drain. A protocol can register how to close one gracefully (e.g. after the
// response in progress); plain TCP connections are left to finish on their own.
import type { Socket } from 'node:net';
import type { StatsSink } from '../api/stats.ts';
import { CONNECTION_BUCKETS, listenerScope } from '../metrics/catalog.ts';

const L = listenerScope.offset;

export interface TrackerCounts {
  workerInfo: Int32Array;
  /** the worker's live-connection cell */
  activeIndex: number;
  /** the worker's taken-connections cell */
  totalIndex: number;
}

export class ConnectionTracker {
  readonly #stats: StatsSink;
  readonly #counts: TrackerCounts;
  readonly #live = new Map<Socket, (() => void) | undefined>();
  #draining = false;
  #onEmpty: (() => void) | undefined;

  constructor(stats: StatsSink, counts: TrackerCounts) {
    this.#stats = stats;
    this.#counts = counts;
  }

  get size(): number {
    return this.#live.size;
  }

  get draining(): boolean {
    return this.#draining;
  }

  track(socket: Socket, listenerBase: number): void {
    const stats = this.#stats;
    const started = performance.now();
    stats.inc(listenerBase + L.connectionTotal);
    stats.inc(listenerBase + L.connectionActive);
    Atomics.add(this.#counts.workerInfo, this.#counts.activeIndex, 1);
    Atomics.add(this.#counts.workerInfo, this.#counts.totalIndex, 1);
    this.#live.set(socket, undefined);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') stats.inc(listenerBase + L.connectionReset);
    });
    socket.once('close', () => {
      this.#live.delete(socket);
      stats.inc(listenerBase + L.connectionDestroy);
      stats.dec(listenerBase + L.connectionActive);
      stats.observe(listenerBase + L.connectionDuration, CONNECTION_BUCKETS, (performance.now() - started) / 1000);
      Atomics.sub(this.#counts.workerInfo, this.#counts.activeIndex, 1);
      if (this.#draining && this.#live.size === 0) this.#onEmpty?.();
    });
  }

  /** How to close this connection gracefully when draining (set by the protocol owning it). */
  onDrain(socket: Socket, close: () => void): void {
    if (this.#live.has(socket)) this.#live.set(socket, close);
    if (this.#draining) close();
  }

  /** Asks every connection to finish; calls `done` when none is left or at the deadline. */
  drain(timeoutMs: number, done: () => void): void {
    this.#draining = true;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      for (const socket of [...this.#live.keys()]) socket.destroy();
      finish();
    }, timeoutMs);
    this.#onEmpty = finish;
    for (const close of [...this.#live.values()]) close?.();
    if (this.#live.size === 0) finish();
  }
}
