// Earliest-deadline-first scheduler over a fixed set of entries 0..n-1 (MOSN edf.go, Envoy
// edf_scheduler.h): an entry of weight w is due every 1/w, so over time it is picked in
// proportion to w. The caller supplies the weight each time an entry is re-queued, which is how
// least-request folds the live load in. A binary min-heap over typed arrays: a pick is
// O(log n) and allocates nothing.

export class EdfScheduler {
  /** heap of entry indices, ordered by (deadline, queued order) */
  readonly #heap: Int32Array;
  readonly #deadline: Float64Array;
  /** FIFO tie-break among equal deadlines: the entry queued earlier goes first */
  readonly #queued: Float64Array;
  #clock = 0;

  /** Every entry starts due at 1/weight; weights must be > 0. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.#heap = new Int32Array(n);
    this.#deadline = new Float64Array(n);
    this.#queued = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.#deadline[i] = 1 / weights[i]!;
      this.#queued[i] = ++this.#clock;
      this.#heap[i] = i;
      this.#siftUp(i);
    }
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Index of the entry due first. Follow with `requeue` to consume it. */
  peek(): number {
    return this.#heap[0]!;
  }

  /** Re-queues the entry due first, next due 1/weight after its current deadline. */
  requeue(weight: number): void {
    const entry = this.#heap[0]!;
    this.#deadline[entry] = this.#deadline[entry]! + 1 / weight;
    this.#queued[entry] = ++this.#clock;
    this.#siftDown(0);
  }

  #before(a: number, b: number): boolean {
    const da = this.#deadline[a]!;
    const db = this.#deadline[b]!;
    return da < db || (da === db && this.#queued[a]! < this.#queued[b]!);
  }

  #siftUp(pos: number): void {
    const heap = this.#heap;
    const entry = heap[pos]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const above = heap[parent]!;
      if (!this.#before(entry, above)) break;
      heap[pos] = above;
      pos = parent;
    }
    heap[pos] = entry;
  }

  #siftDown(pos: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const entry = heap[pos]!;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && this.#before(heap[child + 1]!, heap[child]!)) child++;
      const below = heap[child]!;
      if (!this.#before(below, entry)) break;
      heap[pos] = below;
      pos = child;
    }
    heap[pos] = entry;
  }
}
