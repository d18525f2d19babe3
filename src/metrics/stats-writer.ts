// Worker side: writes this worker's row of the shared stats region. Each slot has exactly one
// writing thread, and Atomics make every write visible to the scrape on the main thread.
// No message is sent per request.

export class StatsWriter {
  readonly #stats: BigInt64Array;
  readonly #row: number;

  /** `row` = worker index * slots per worker */
  constructor(stats: BigInt64Array, row: number) {
    this.#stats = stats;
    this.#row = row;
  }

  inc(slot: number): void {
    Atomics.add(this.#stats, this.#row + slot, 1n);
  }

  dec(slot: number): void {
    Atomics.sub(this.#stats, this.#row + slot, 1n);
  }

  add(slot: number, n: number): void {
    if (n !== 0) Atomics.add(this.#stats, this.#row + slot, BigInt(n));
  }

  /** Histogram at `slot` with upper `bounds` (seconds): one bucket count, and the sum in µs. */
  observe(slot: number, bounds: readonly number[], seconds: number): void {
    let i = 0;
    const n = bounds.length;
    while (i < n && seconds > bounds[i]!) i++;
    Atomics.add(this.#stats, this.#row + slot + i, 1n);
    Atomics.add(this.#stats, this.#row + slot + n + 1, BigInt(Math.round(seconds * 1e6)));
  }
}
