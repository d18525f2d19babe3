// Two sockets joined into one byte stream each way: backpressure (a full write buffer pauses the
// other side's reads until 'drain'), half-close passed through (a FIN one way keeps the other way
// open), and an idle timeout. Used by tcp_proxy and by HTTP Upgrade/CONNECT tunnels.
import type { Socket } from 'node:net';

export interface PipeCallbacks {
  /** bytes read from a and written to b */
  aToB(bytes: number): void;
  bToA(bytes: number): void;
  idle(): void;
  /** called once, when either side has closed or failed and both are being torn down */
  closed(): void;
}

export interface PipeOptions {
  idleTimeoutMs: number;
  /** bytes already read from a (or b) that go first */
  aHead?: Buffer | undefined;
  bHead?: Buffer | undefined;
}

export class SocketPipe {
  readonly #a: Socket;
  readonly #b: Socket;
  readonly #cb: PipeCallbacks;
  #done = false;

  constructor(a: Socket, b: Socket, opts: PipeOptions, cb: PipeCallbacks) {
    this.#a = a;
    this.#b = b;
    this.#cb = cb;
    this.#direction(a, b, opts.aHead, cb.aToB);
    this.#direction(b, a, opts.bHead, cb.bToA);
    const close = (): void => this.close();
    a.on('error', close);
    b.on('error', close);
    a.on('close', close);
    b.on('close', close);
    if (opts.idleTimeoutMs > 0) {
      const idle = (): void => {
        if (this.#done) return;
        cb.idle();
        this.destroy();
      };
      a.setTimeout(opts.idleTimeoutMs, idle);
      b.setTimeout(opts.idleTimeoutMs, idle);
    }
    a.resume();
    b.resume();
  }

  #direction(from: Socket, to: Socket, head: Buffer | undefined, count: (n: number) => void): void {
    if (head !== undefined && head.length > 0) {
      count(head.length);
      if (!to.write(head)) from.pause();
    }
    from.on('data', (chunk: Buffer) => {
      count(chunk.length);
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => from.resume());
    from.on('end', () => to.end());
  }

  /**
   * One side went away. When both sides ended cleanly (a FIN each way), let them close on their
   * own; otherwise tear both down.
   */
  close(): void {
    if (this.#done) return;
    const a = this.#a;
    const b = this.#b;
    const aOpen = !a.destroyed && !a.writableFinished;
    const bOpen = !b.destroyed && !b.writableFinished;
    if (aOpen && bOpen) return;
    this.destroy();
  }

  destroy(): void {
    if (this.#done) return;
    this.#done = true;
    this.#a.destroy();
    this.#b.destroy();
    this.#cb.closed();
  }
}
