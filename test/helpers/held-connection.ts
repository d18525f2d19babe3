// A client connection kept open across a test step: echo a payload on demand, see when the
// proxy closes it, close it ourselves.
import net from 'node:net';
import { within } from './wait.ts';

export class HeldConnection {
  readonly socket: net.Socket;
  /** resolves when the socket has closed, for whatever reason */
  readonly closed: Promise<void>;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #onData: (() => void) | undefined;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#pending.push(d);
      this.#pendingBytes += d.length;
      this.#onData?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number, opts: { localPort?: number; allowHalfOpen?: boolean } = {}): Promise<HeldConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: opts.allowHalfOpen ?? false, ...(opts.localPort ? { localPort: opts.localPort } : {}) });
      s.once('connect', () => resolve(new HeldConnection(s)));
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /** Resolves with the next `n` bytes received. */
  read(n: number, timeoutMs = 10_000): Promise<Buffer> {
    const take = (): Buffer => {
      const all = Buffer.concat(this.#pending);
      this.#pending = all.length > n ? [all.subarray(n)] : [];
      this.#pendingBytes = all.length - n;
      return all.subarray(0, n);
    };
    if (this.#pendingBytes >= n) return Promise.resolve(take());
    return within(
      `read ${n} bytes`,
      timeoutMs,
      new Promise<Buffer>((resolve, reject) => {
        const onClose = (): void => reject(new Error(`connection closed after ${this.#pendingBytes} of ${n} bytes`));
        this.socket.once('close', onClose);
        this.#onData = () => {
          if (this.#pendingBytes < n) return;
          this.#onData = undefined;
          this.socket.off('close', onClose);
          resolve(take());
        };
      }),
    );
  }

  /** Writes `payload` and resolves with as many bytes coming back (an echo upstream). */
  async echo(payload: Buffer, timeoutMs = 10_000): Promise<Buffer> {
    this.socket.write(payload);
    return this.read(payload.length, timeoutMs);
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  destroy(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}

/** Resolves with the error code of a connect that must fail (e.g. ECONNREFUSED). */
export function connectError(port: number, timeoutMs = 5_000): Promise<string> {
  return within(
    `connect to ${port} failing`,
    timeoutMs,
    new Promise<string>((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        reject(new Error(`connect to ${port} unexpectedly succeeded`));
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    }),
  );
}
