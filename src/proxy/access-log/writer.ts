// Writes access log lines without blocking the worker: lines are batched and written with
// asynchronous fs.write, each write at most 4096 bytes and ending on a line boundary, so lines
// from several workers sharing a pipe (stdout) never interleave (PIPE_BUF atomicity). If the
// destination falls behind by more than MAX_BACKLOG bytes, new lines are dropped.
import { openSync, write } from 'node:fs';

const PIPE_BUF = 4096;
const MAX_BACKLOG = 8 * 1024 * 1024;
/** a batch waits at most this long for more lines */
const FLUSH_DELAY_MS = 50;

export class AccessLogWriter {
  readonly #fd: number;
  #queue = '';
  #writing = false;
  #timer: NodeJS.Timeout | undefined;

  /** "stdout", "stderr" or a file path (opened for append). */
  constructor(destination: string) {
    this.#fd = destination === 'stdout' || destination === '' ? 1 : destination === 'stderr' ? 2 : openSync(destination, 'a');
  }

  append(line: string): void {
    if (this.#queue.length > MAX_BACKLOG) return;
    this.#queue += `${line}\n`;
    if (this.#queue.length >= PIPE_BUF) this.#flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, FLUSH_DELAY_MS);
      this.#timer.unref();
    }
  }

  #flush(): void {
    if (this.#writing || this.#queue.length === 0) return;
    let take = this.#queue.length;
    if (take > PIPE_BUF) {
      const cut = this.#queue.lastIndexOf('\n', PIPE_BUF - 1);
      take = cut >= 0 ? cut + 1 : PIPE_BUF; // a single line longer than PIPE_BUF goes as is
    }
    const chunk = this.#queue.slice(0, take);
    this.#queue = this.#queue.slice(take);
    this.#writing = true;
    write(this.#fd, chunk, null, 'utf8', () => {
      this.#writing = false;
      if (this.#queue.length > 0) this.#flush();
    });
  }
}
