// A raw HTTP client for the proxy's tests: sends exact bytes, and reports the exact bytes
// answered (split into responses) and whether the proxy closed the connection.
import net from 'node:net';
import { parseResponses, type ParsedResponse } from './http-wire.ts';

export interface RawResult {
  data: Buffer;
  text: string;
  /** the proxy closed the connection (FIN or reset) before the timeout */
  closed: boolean;
  responses: ParsedResponse[];
}

/** A raw client connection: exact bytes in, exact bytes out. */
export class RawClient {
  readonly socket: net.Socket;
  data = Buffer.alloc(0);
  closed = false;
  readonly closedPromise: Promise<void>;
  #waiters: Array<() => void> = [];
  /** the request methods sent, in order (HEAD responses have no body) */
  methods: string[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
      this.#notify();
    });
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((r) =>
      socket.once('close', () => {
        this.closed = true;
        this.#notify();
        r();
      }),
    );
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  get text(): string {
    return this.data.toString('latin1');
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  responses(): ParsedResponse[] {
    return parseResponses(this.data, this.methods, this.closed).responses;
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves when `test` holds (re-checked on every read and on close). */
  until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        reject(new Error(`raw client: ${what} not seen in ${timeoutMs} ms; closed=${this.closed}; got:\n${this.text.slice(0, 3000)}`));
      }, timeoutMs);
      this.#waiters.push(check);
    });
  }

  /** Waits for `n` complete responses. */
  async waitResponses(n: number, timeoutMs = 10_000): Promise<ParsedResponse[]> {
    await this.until(`${n} responses`, () => this.responses().length >= n, timeoutMs);
    return this.responses();
  }

  waitClosed(timeoutMs = 10_000): Promise<void> {
    return this.until('close', () => this.closed, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Sends `bytes` on a fresh connection and collects the answer until the proxy closes the
 * connection or `expectResponses` complete responses arrived (then waits `settleMs`, bounded,
 * only if `waitClose` asks for the close too).
 */
export async function rawExchange(
  port: number,
  bytes: string | Buffer | Array<string | Buffer>,
  opts: { expectResponses?: number; waitClose?: boolean; timeoutMs?: number; methods?: string[] } = {},
): Promise<RawResult> {
  const c = await RawClient.connect(port);
  c.methods = opts.methods ?? [];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  for (const b of Array.isArray(bytes) ? bytes : [bytes]) c.send(b);
  try {
    if (opts.expectResponses !== undefined) await c.waitResponses(opts.expectResponses, timeoutMs);
    if (opts.waitClose ?? opts.expectResponses === undefined) await c.waitClosed(timeoutMs);
  } finally {
    c.destroy();
  }
  return { data: c.data, text: c.text, closed: c.closed, responses: c.responses() };
}
