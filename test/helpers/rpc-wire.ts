// Raw-socket RPC peers for tests: a client that writes bytes and collects the frames it gets
// back, and a recording upstream that answers (or holds) requests. Frames: rpc-frames.ts.
import net from 'node:net';
import { boltContentOf, boltResponse, DUBBO_HESSIAN2, dubboFrame, dubboResponse, splitFrames, type WireFrame, type WireProtocol } from './rpc-frames.ts';

/** A raw client connection collecting the frames it receives. */
export class RawRpcClient {
  readonly socket: net.Socket;
  readonly protocol: WireProtocol;
  readonly frames: WireFrame[] = [];
  /** every byte received */
  received = Buffer.alloc(0);
  readonly closed: Promise<void>;
  #rest = Buffer.alloc(0);
  #waiters: Array<() => void> = [];
  #isClosed = false;

  private constructor(socket: net.Socket, protocol: WireProtocol) {
    this.socket = socket;
    this.protocol = protocol;
    socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      const { frames, rest } = splitFrames(protocol, Buffer.concat([this.#rest, d]));
      this.#rest = Buffer.from(rest);
      this.frames.push(...frames);
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  static connect(port: number, protocol: WireProtocol): Promise<RawRpcClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new RawRpcClient(s, protocol)));
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once `n` frames have arrived (or rejects on close/timeout before that). */
  async waitFrames(n: number, timeoutMs = 10_000): Promise<WireFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < n) {
      if (this.#isClosed) throw new Error(`connection closed after ${this.frames.length} of ${n} frames`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`got ${this.frames.length} of ${n} frames within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.frames.slice(0, n);
  }

  /** Resolves when the proxy closes the connection; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 5_000): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise<never>((_r, reject) => {
        t = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(t));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** What a RawRpcUpstream does with a request: answer it now, or hold it (never answered). */
export type UpstreamAction = 'answer' | 'hold';

export interface UpstreamRequest {
  frame: WireFrame;
  socket: net.Socket;
  /** connection number, from 1, in accept order */
  connection: number;
}

/**
 * A recording upstream: splits what it receives into frames, records every one, and answers
 * requests as `decide` says (default: answer, Bolt status 0 / Dubbo 20, content echoed).
 */
export class RawRpcUpstream {
  readonly protocol: WireProtocol;
  readonly received: UpstreamRequest[] = [];
  readonly sockets: net.Socket[] = [];
  decide: (req: UpstreamRequest) => UpstreamAction = () => 'answer';
  /** new connections start paused (nothing read) until resumeReads() */
  holdReads = false;
  readonly #server: net.Server;
  #waiters: Array<() => void> = [];

  private constructor(protocol: WireProtocol, server: net.Server) {
    this.protocol = protocol;
    this.#server = server;
    server.on('connection', (socket) => {
      this.sockets.push(socket);
      const connection = this.sockets.length;
      if (this.holdReads) socket.pause();
      let pending = Buffer.alloc(0);
      socket.on('error', () => {});
      socket.on('data', (d: Buffer) => {
        const { frames, rest } = splitFrames(protocol, Buffer.concat([pending, d]));
        pending = Buffer.from(rest);
        for (const frame of frames) {
          const req = { frame: { ...frame, raw: Buffer.from(frame.raw) }, socket, connection };
          this.received.push(req);
          if (this.decide(req) === 'answer') this.answer(req);
        }
        for (const w of this.#waiters.splice(0)) w();
      });
    });
  }

  static async start(protocol: WireProtocol, port = 0): Promise<RawRpcUpstream> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    return new RawRpcUpstream(protocol, server);
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Starts reading on every connection held by `holdReads`. */
  resumeReads(): void {
    this.holdReads = false;
    for (const s of this.sockets) s.resume();
  }

  /** Answers one recorded request (Bolt: echo its content; Dubbo: "ok"). Heartbeats get acks. */
  answer(req: UpstreamRequest): void {
    const f = req.frame;
    if (this.protocol === 'bolt') {
      if (f.type === 0 || f.type === 2) return;
      if (f.cmdCode === 0) req.socket.write(boltResponse(f.id, Buffer.alloc(0), 0, 0));
      else req.socket.write(boltResponse(f.id, boltContentOf(f.raw)));
    } else {
      if ((f.type & 0x80) === 0 || (f.type & 0x40) === 0) return;
      if ((f.type & 0x20) !== 0) req.socket.write(dubboFrame(0x20 | DUBBO_HESSIAN2, 20, f.id, Buffer.from('NN')));
      else req.socket.write(dubboResponse(f.id, 'ok'));
    }
  }

  /** Requests recorded so far, without heartbeats and control frames. */
  requests(): UpstreamRequest[] {
    return this.received.filter((r) => (this.protocol === 'bolt' ? r.frame.cmdCode === 1 : (r.frame.type & 0x20) === 0));
  }

  /** Resolves once `n` non-heartbeat requests have been recorded. */
  async waitRequests(n: number, timeoutMs = 10_000): Promise<UpstreamRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests().length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`upstream got ${this.requests().length} of ${n} requests within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.requests().slice(0, n);
  }

  /** Stops listening and destroys every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.#server.close(() => r()));
  }
}
