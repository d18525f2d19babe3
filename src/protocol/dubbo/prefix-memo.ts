// The request prefixes (framework version, service, version, method) hessian.js decoded last,
// keyed by their exact bytes. A client calls the same few methods over and over, and the same
// bytes always decode to the same four values, so a frame whose body starts with bytes seen
// before skips hessian.js (which cost ~14% of the proxy's CPU under Dubbo load).
import type { DubboRequestPrefix } from './request-body.ts';

interface Entry {
  readonly bytes: Buffer;
  readonly prefix: DubboRequestPrefix;
}

export class PrefixMemo {
  readonly #capacity: number;
  /** most recently used first */
  readonly #entries: Entry[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The prefix `body` starts with, if its bytes are known. */
  find(body: Buffer): DubboRequestPrefix | undefined {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const n = e.bytes.length;
      if (n > body.length || body.compare(e.bytes, 0, n, 0, n) !== 0) continue;
      if (i > 0) {
        entries.splice(i, 1);
        entries.unshift(e);
      }
      return e.prefix;
    }
    return undefined;
  }

  /** Remembers that `bytes` (copied) decode to `prefix`; the least recently used entry goes. */
  remember(bytes: Buffer, prefix: DubboRequestPrefix): void {
    if (this.#entries.length >= this.#capacity) this.#entries.pop();
    this.#entries.unshift({ bytes: Buffer.from(bytes), prefix });
  }
}
