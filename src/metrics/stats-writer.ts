// Worker side: writes this worker's row of the shared stats region. No message is sent per
// request, and nothing is allocated per update.
//
// Each slot has exactly one writing thread (its worker), so a plain read-modify-write loses no
// update: Atomics are not needed for exactness, and Atomics on 64-bit slots (BigInt64Array)
// allocate a BigInt per call, which measured as the largest allocation source of the RPC path.
// Values are doubles, exact up to 2^53; an aligned 8-byte store is single-copy atomic on x86-64
// and arm64, so the scrape on the main thread reads each slot whole, at worst a moment old.

export class StatsWriter {
  readonly #stats: Float64Array;
  readonly #row: number;

  /** `row` = worker index * slots per worker */
  constructor(stats: Float64Array, row: number) {
    this.#stats = stats;
    this.#row = row;
  }

  inc(slot: number): void {
    this.#stats[this.#row + slot]! += 1;
  }

  dec(slot: number): void {
    this.#stats[this.#row + slot]! -= 1;
  }

  add(slot: number, n: number): void {
    this.#stats[this.#row + slot]! += n;
  }

  /** Histogram at `slot` with upper `bounds` (seconds): one bucket count, and the sum in µs. */
  observe(slot: number, bounds: readonly number[], seconds: number): void {
    let i = 0;
    const n = bounds.length;
    while (i < n && seconds > bounds[i]!) i++;
    const at = this.#row + slot;
    this.#stats[at + i]! += 1;
    this.#stats[at + n + 1]! += Math.round(seconds * 1e6);
  }
}
