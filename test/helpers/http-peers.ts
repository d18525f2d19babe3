// Real HTTP upstreams for the proxy's tests: a raw one that records every byte it receives (and
// answers each request it can frame), node:http ones (echo, and one that holds requests open).
import http from 'node:http';
import net from 'node:net';
import { dechunkAt, headerMap } from './http-wire.ts';

// ---------------------------------------------------------------- recording raw upstream

export interface RecordedRequest {
  /** the head as received, latin1 */
  head: string;
  method: string;
  target: string;
  /** lower-case name -> values */
  headers: Map<string, string[]>;
  /** de-chunked body */
  body: Buffer;
  /** raw trailer lines (chunked only) */
  trailers: string;
  /** index of the connection it came on */
  conn: number;
  socket: net.Socket;
}

export interface RecordingUpstreamOptions {
  /** answers one framed request; default: 200 "ok" with Content-Length */
  onRequest?: (req: RecordedRequest, up: RecordingUpstream) => void;
  /** called on the head, before the body arrives (to answer early, e.g. 100 Continue) */
  onHead?: (req: RecordedRequest, up: RecordingUpstream) => void;
}

export const OK_RESPONSE = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/** A raw TCP upstream: records the bytes of every connection, frames requests leniently. */
export class RecordingUpstream {
  readonly server: net.Server;
  port = 0;
  /** every byte received, per connection (never cleared) */
  readonly received: Buffer[] = [];
  /** every byte received since the last reset(), all connections, in arrival order */
  #log: Buffer[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly sockets: net.Socket[] = [];
  readonly #opts: RecordingUpstreamOptions;
  #waiters: Array<() => void> = [];

  private constructor(opts: RecordingUpstreamOptions) {
    this.#opts = opts;
    this.server = net.createServer({ allowHalfOpen: false }, (s) => this.#accept(s));
  }

  static async start(opts: RecordingUpstreamOptions = {}): Promise<RecordingUpstream> {
    const up = new RecordingUpstream(opts);
    await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', () => r()));
    up.port = (up.server.address() as net.AddressInfo).port;
    return up;
  }

  get connections(): number {
    return this.sockets.length;
  }

  /** Everything received on every connection, latin1. */
  allText(): string {
    return Buffer.concat(this.#log).toString('latin1');
  }

  /** bytes received since the last reset() */
  get bytes(): number {
    let n = 0;
    for (const b of this.#log) n += b.length;
    return n;
  }

  /** Forget what was recorded (between cases sharing one upstream). */
  reset(): void {
    this.#log = [];
    this.requests.length = 0;
  }

  /** Resolves once `test` holds, re-checked whenever a request is framed or bytes arrive. */
  waitFor(test: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        reject(new Error(`recording upstream: condition not met in ${timeoutMs} ms; received:\n${this.allText().slice(0, 2000)}`));
      }, timeoutMs);
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve();
      };
      this.#waiters.push(check);
    });
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  #accept(s: net.Socket): void {
    const conn = this.sockets.length;
    this.sockets.push(s);
    const slot = this.received.length;
    this.received.push(Buffer.alloc(0));
    let buf: Buffer = Buffer.alloc(0);
    let pending: RecordedRequest | undefined;
    let need = -1; // body bytes still expected (length mode); -2 = chunked
    s.on('error', () => s.destroy());
    s.on('close', () => this.#notify());
    s.on('data', (d: Buffer) => {
      this.received[slot] = Buffer.concat([this.received[slot]!, d]);
      this.#log.push(d);
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      for (let guard = 0; guard < 10_000; guard++) {
        if (pending === undefined) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) break;
          const head = buf.subarray(0, end + 4).toString('latin1');
          buf = buf.subarray(end + 4);
          const lines = head.split('\r\n');
          const [method = '', target = ''] = lines[0]!.split(' ');
          const headers = headerMap(lines.slice(1));
          pending = { head, method, target, headers, body: Buffer.alloc(0), trailers: '', conn, socket: s };
          const te = headers.get('transfer-encoding')?.join(',').toLowerCase() ?? '';
          need = te.includes('chunked') ? -2 : Number(headers.get('content-length')?.[0] ?? 0);
          this.#opts.onHead?.(pending, this);
        }
        if (need === -2) {
          const r = dechunkAt(buf, 0);
          if (r === undefined) break;
          pending.body = r.body;
          pending.trailers = r.trailers;
          buf = buf.subarray(r.end);
        } else {
          if (buf.length < need) break;
          pending.body = Buffer.from(buf.subarray(0, need));
          buf = buf.subarray(need);
        }
        const req = pending;
        pending = undefined;
        this.requests.push(req);
        if (this.#opts.onRequest) this.#opts.onRequest(req, this);
        else if (!s.destroyed) s.write(OK_RESPONSE);
      }
      this.#notify();
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

// ---------------------------------------------------------------- node:http upstream

export interface HttpUpstream {
  server: http.Server;
  port: number;
  /** TCP connections accepted so far */
  connections: number;
  /** requests seen so far */
  requests: number;
  close(): Promise<void>;
}

export async function startHttpUpstream(handler: http.RequestListener, opts: http.ServerOptions = {}): Promise<HttpUpstream> {
  const server = http.createServer({ keepAliveTimeout: 60_000, ...opts }, handler);
  const state = { connections: 0, requests: 0 };
  server.on('connection', () => state.connections++);
  server.on('request', () => state.requests++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An upstream that answers every request with a JSON echo of what it received. */
export function echoHandler(name = 'echo'): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = JSON.stringify({
        upstream: name,
        method: req.method,
        url: req.url,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('latin1'),
        trailers: req.trailers,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
      res.end(body);
    });
  };
}

/** A node:http upstream that holds every request open until released (for in-flight counts). */
export interface HoldingUpstream extends HttpUpstream {
  /** requests being held now */
  readonly held: number;
  /** requests received so far */
  readonly received: number;
  /** Resolves once `n` requests are held at the same time. */
  waitHeld(n: number, timeoutMs?: number): Promise<void>;
  /** Answers every held request with `status` (200) and `name` as the body. */
  releaseAll(status?: number): void;
}

export async function startHoldingUpstream(name: string): Promise<HoldingUpstream> {
  const held = new Set<http.ServerResponse>();
  let received = 0;
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };
  const up = await startHttpUpstream((req, res) => {
    received++;
    req.resume();
    held.add(res);
    res.on('close', () => {
      held.delete(res);
      notify();
    });
    notify();
  });
  return {
    ...up,
    server: up.server,
    port: up.port,
    get connections() {
      return up.connections;
    },
    get requests() {
      return up.requests;
    },
    close: up.close,
    get held() {
      return held.size;
    },
    get received() {
      return received;
    },
    waitHeld(n: number, timeoutMs = 10_000) {
      if (held.size >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (held.size < n) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`${name}: ${held.size} of ${n} requests held after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(check);
      });
    },
    releaseAll(status = 200) {
      for (const res of [...held]) {
        held.delete(res);
        if (res.headersSent) continue;
        res.writeHead(status, { 'content-type': 'text/plain', 'x-upstream': name });
        res.end(name);
      }
    },
  };
}
