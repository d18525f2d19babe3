// Requests in flight on one multiplexed connection, by request id. Ids are handed out in
// sequence, so a ring indexed by `id & mask` finds them without hashing and allocates nothing per
// request; it doubles when the slot a new id needs still holds a request in flight.
import type { RpcResponseSink } from './client-connection.ts';

const INITIAL_SLOTS = 256;

export class PendingRequests {
  #ids = new Float64Array(INITIAL_SLOTS);
  #sinks: (RpcResponseSink | undefined)[] = new Array<RpcResponseSink | undefined>(INITIAL_SLOTS).fill(undefined);
  #mask = INITIAL_SLOTS - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(id: number): boolean {
    const i = id & this.#mask;
    return this.#sinks[i] !== undefined && this.#ids[i] === id;
  }

  get(id: number): RpcResponseSink | undefined {
    const i = id & this.#mask;
    return this.#ids[i] === id ? this.#sinks[i] : undefined;
  }

  set(id: number, sink: RpcResponseSink): void {
    while (this.#sinks[id & this.#mask] !== undefined) this.#grow();
    const i = id & this.#mask;
    this.#ids[i] = id;
    this.#sinks[i] = sink;
    this.#size++;
  }

  delete(id: number): void {
    const i = id & this.#mask;
    if (this.#sinks[i] === undefined || this.#ids[i] !== id) return;
    this.#sinks[i] = undefined;
    this.#size--;
  }

  /** Empties the table, returning what was in it. */
  drain(): RpcResponseSink[] {
    const out: RpcResponseSink[] = [];
    for (let i = 0; i < this.#sinks.length; i++) {
      const s = this.#sinks[i];
      if (s !== undefined) out.push(s);
      this.#sinks[i] = undefined;
    }
    this.#size = 0;
    return out;
  }

  #grow(): void {
    const n = this.#sinks.length * 2;
    const ids = new Float64Array(n);
    const sinks = new Array<RpcResponseSink | undefined>(n).fill(undefined);
    const mask = n - 1;
    for (let i = 0; i < this.#sinks.length; i++) {
      const s = this.#sinks[i];
      if (s === undefined) continue;
      const id = this.#ids[i]!;
      ids[id & mask] = id;
      sinks[id & mask] = s;
    }
    this.#ids = ids;
    this.#sinks = sinks;
    this.#mask = mask;
  }
}
