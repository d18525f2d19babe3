// Two sockets joined into one byte stream each way, for tcp_proxy and HTTP Upgrade/CONNECT
// tunnels: backpressure (a full write buffer pauses the other side's reads until 'drain'),
// half-close passed through (a FIN one way keeps the other way open), and an idle timeout.
// When one side closes cleanly, the other flushes what it still holds before closing (as MOSN
// does); an error, a reset or the idle timeout tears both down at once.
import type { Socket } from 'node:net';

export interface PipeCallbacks {
  /** bytes read from a and written to b */
  aToB(bytes: number): void;
  bToA(bytes: number): void;
  /** the idle timeout fired (not counted for a side already flushing after a clean close) */
  idle(): void;
  /** both sockets are closed; called once */
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
  /** one side closed cleanly; the other is flushing */
  #closing = false;
  #done = false;
  #open = 2;

  constructor(a: Socket, b: Socket, opts: PipeOptions, cb: PipeCallbacks) {
    this.#a = a;
    this.#b = b;
    this.#cb = cb;
    this.#direction(a, b, opts.aHead, cb.aToB);
    this.#direction(b, a, opts.bHead, cb.bToA);
    if (opts.idleTimeoutMs > 0) {
      const idle = (): void => {
        if (this.#done) return;
        if (!this.#closing) cb.idle();
        this.#destroy();
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
    // a FIN that arrived before the pipe existed (e.g. while the protocol was being sniffed)
    if (from.readableEnded) to.end();
    else from.on('end', () => to.end());
    from.on('error', () => this.#destroy());
    from.on('close', (hadError: boolean) => {
      if (--this.#open === 0) this.#finish();
      else if (hadError) this.#destroy();
      else this.#sideClosed(to);
    });
  }

  /** `other` flushes what it holds, then closes; a peer that never reads meets the idle timeout. */
  #sideClosed(other: Socket): void {
    if (this.#done || this.#closing) return;
    this.#closing = true;
    if (other.destroyed) return;
    if (other.writableFinished) {
      other.destroy();
      return;
    }
    other.once('finish', () => other.destroy());
    other.end();
  }

  #destroy(): void {
    if (this.#done) return;
    this.#a.destroy();
    this.#b.destroy();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#cb.closed();
  }
}
