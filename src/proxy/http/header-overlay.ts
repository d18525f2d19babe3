// Route header mutations (request/response_headers_to_add/remove) over a received head without
// copying it: removed names and replacement lines are recorded here and applied when the head is
// serialised. Only built for routes that have header operations.
import type { HeaderWriter } from '../../api/router.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';

export class HeaderOverlay implements HeaderWriter {
  readonly #head: MessageHead;
  /** lower-case names whose received lines are dropped */
  readonly #removed = new Set<string>();
  /** lower-case name -> [name as configured, value] */
  readonly #set = new Map<string, [string, string]>();

  constructor(head: MessageHead) {
    this.#head = head;
  }

  get(lowerName: string): string | undefined {
    const s = this.#set.get(lowerName);
    if (s !== undefined) return s[1];
    return this.#removed.has(lowerName) ? undefined : this.#head.get(lowerName);
  }

  set(name: string, lowerName: string, value: string): void {
    this.#removed.add(lowerName);
    this.#set.set(lowerName, [name, value]);
  }

  remove(lowerName: string): void {
    this.#removed.add(lowerName);
    this.#set.delete(lowerName);
  }

  /** Whether received header `index` of `head` is dropped. */
  readonly drops = (head: MessageHead, index: number): boolean =>
    this.#removed.size > 0 && this.#removed.has(head.nameAt(index).toLowerCase());

  /** The lines this overlay adds, CRLF-terminated. */
  lines(): string {
    let out = '';
    for (const [name, value] of this.#set.values()) out += `${name}: ${value}\r\n`;
    return out;
  }
}
