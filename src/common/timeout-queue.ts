// Timeouts for many requests that share one duration (a route's 60 s, a Bolt frame's 3 s …),
// without a Node Timeout object per request: entries are kept in arrival order, which is also
// deadline order for one duration, and a single timer is armed for the oldest. Cancelling
// blanks an entry in place. Node's own timer lists use the same idea, but allocate per timer.

export interface TimeoutTarget {
  onTimeout(): void;
}

/** Entries whose deadline passed are fired together once this much late (ms). */
const SLACK_MS = 1;

export class TimeoutQueue {
  readonly #durationMs: number;
  #targets: (TimeoutTarget | undefined)[] = [];
  #deadlines: number[] = [];
  /** ticket of #targets[0] */
  #base = 0;
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire = (): void => this.#expire();

  constructor(durationMs: number) {
    this.#durationMs = durationMs;
  }

  /** Arms a timeout for `target` from `now` (performance.now(), if the caller has one); the ticket cancels it. */
  add(target: TimeoutTarget, now = performance.now()): number {
    const ticket = this.#base + this.#targets.length;
    this.#targets.push(target);
    this.#deadlines.push(now + this.#durationMs);
    if (this.#timer === undefined) this.#arm(this.#durationMs);
    return ticket;
  }

  /**
   * Requests mostly finish in the order they started, so cancelled entries at the front are
   * dropped at once (the arrays then stay about as long as the requests in flight).
   */
  cancel(ticket: number): void {
    const targets = this.#targets;
    const i = ticket - this.#base;
    if (i < this.#head || i >= targets.length) return;
    targets[i] = undefined;
    if (i !== this.#head) return;
    let h = this.#head + 1;
    while (h < targets.length && targets[h] === undefined) h++;
    this.#head = h;
    this.#compact();
  }

  /** entries not yet fired or skipped (cancelled ones behind a live one included) */
  get size(): number {
    return this.#targets.length - this.#head;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(0, ms));
    this.#timer.unref();
  }

  /**
   * Fires every entry whose deadline passed. A callback may add to or cancel in this queue (a
   * retry after a per-try timeout does), and a cancel may compact the arrays: so they are read
   * from the fields on every step, and the timer is armed once at the end, for the oldest entry.
   */
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now() + SLACK_MS;
    while (this.#head < this.#targets.length && (this.#targets[this.#head] === undefined || this.#deadlines[this.#head]! <= now)) {
      const t = this.#targets[this.#head];
      this.#targets[this.#head] = undefined;
      this.#head++;
      t?.onTimeout();
    }
    this.#compact();
    if (this.#timer !== undefined) clearTimeout(this.#timer); // armed by an add() from a callback
    this.#timer = undefined;
    if (this.#head < this.#targets.length) this.#arm(this.#deadlines[this.#head]! - performance.now());
  }

  /** Drops fired and cancelled entries from the front once they are half the arrays. */
  #compact(): void {
    const h = this.#head;
    if (h < 64 || h < this.#targets.length / 2) return;
    this.#targets = this.#targets.slice(h);
    this.#deadlines = this.#deadlines.slice(h);
    this.#base += h;
    this.#head = 0;
  }
}

/** One queue per duration. */
export class TimeoutQueues {
  readonly #queues = new Map<number, TimeoutQueue>();

  get(durationMs: number): TimeoutQueue {
    let q = this.#queues.get(durationMs);
    if (q === undefined) this.#queues.set(durationMs, (q = new TimeoutQueue(durationMs)));
    return q;
  }
}
