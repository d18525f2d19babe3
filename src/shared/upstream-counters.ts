// Worker side of the process-wide upstream counters. Every change is made to the global slot
// (what balancers and circuit breakers read) and to this worker's shadow copy (what the main
// thread subtracts if the worker dies), both with Atomics so no update is lost.
import type { SharedCounters } from '../api/cluster.ts';
import type { SharedMemory } from './layout.ts';

export class UpstreamCounters implements SharedCounters {
  readonly #global: Int32Array;
  readonly #shadow: Int32Array;
  readonly #shadowBase: number;

  constructor(memory: SharedMemory, worker: number) {
    this.#global = memory.upstream;
    this.#shadow = memory.shadow;
    this.#shadowBase = worker * memory.layout.upstreamSlots;
  }

  read(slot: number): number {
    return Atomics.load(this.#global, slot);
  }

  increment(slot: number): void {
    Atomics.add(this.#global, slot, 1);
    Atomics.add(this.#shadow, this.#shadowBase + slot, 1);
  }

  decrement(slot: number): void {
    Atomics.sub(this.#global, slot, 1);
    Atomics.sub(this.#shadow, this.#shadowBase + slot, 1);
  }

  /**
   * Takes one unit if fewer than `limit` are taken process-wide (limit 0 = unlimited).
   * Exact across workers: the add is atomic and an over-limit add is undone.
   */
  tryAcquire(slot: number, limit: number): boolean {
    const before = Atomics.add(this.#global, slot, 1);
    if (limit > 0 && before >= limit) {
      Atomics.sub(this.#global, slot, 1);
      return false;
    }
    Atomics.add(this.#shadow, this.#shadowBase + slot, 1);
    return true;
  }
}

/** Main thread: give back everything a dead worker held, and zero its shadow. */
export function releaseWorkerUpstreamShare(memory: SharedMemory, worker: number): void {
  const n = memory.layout.upstreamSlots;
  const base = worker * n;
  for (let slot = 0; slot < n; slot++) {
    const held = Atomics.exchange(memory.shadow, base + slot, 0);
    if (held !== 0) Atomics.sub(memory.upstream, slot, held);
  }
}
