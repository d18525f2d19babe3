// Main thread: hands out stable slot ranges in the shared regions. The same key always gets the
// same range, so counters survive config reloads and worker restarts.
import { StartupError } from '../common/errors.ts';

export class SlotAllocator {
  readonly #capacity: number;
  readonly #region: string;
  readonly #ranges = new Map<string, { base: number; width: number }>();
  #next = 0;

  constructor(region: string, capacity: number) {
    this.#region = region;
    this.#capacity = capacity;
  }

  allocate(key: string, width: number): number {
    const known = this.#ranges.get(key);
    if (known) {
      if (known.width !== width) throw new Error(`slot range ${key} changed width ${known.width} -> ${width}`);
      return known.base;
    }
    if (this.#next + width > this.#capacity) {
      throw new StartupError(`shared ${this.#region} region is full (${this.#capacity} slots): too many listeners/clusters/hosts`);
    }
    const base = this.#next;
    this.#next += width;
    this.#ranges.set(key, { base, width });
    return base;
  }

  get used(): number {
    return this.#next;
  }
}
