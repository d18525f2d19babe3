// A downstream HTTP/1.1 connection. Requests are handled one at a time, in order: after a
// request the parser pauses until its response is complete (pipelined bytes wait, bounded, with
// the socket paused beyond a limit). Slow heads get 408, bad bytes get 400/413/414/431/501/505,
// and either way the connection closes after the reply, read side drained briefly ("lingering
// close") so the client sees the reply rather than a reset.
import type { Socket } from 'node:net';
import { Http1Decoder, type Http1DecoderEvents, type Http1Limits } from '../../protocol/http1/decoder.ts';
import { encodeLocalReply } from '../../protocol/http1/encoder.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { HttpParseError } from '../../protocol/http1/parse-error.ts';
import { Http1ServerStream, type StreamOwner } from './server-stream.ts';
import type { ServerHandlerFactory } from './types.ts';

export interface Http1ServerOptions {
  limits: Http1Limits;
  /** a request head must arrive within this (slowloris), else 408 */
  requestHeadersTimeoutMs: number;
  /** an idle keep-alive connection is closed after this; 0 = never */
  idleTimeoutMs: number;
  /** 0 = unlimited */
  maxRequestsPerConnection: number;
  /** unread pipelined bytes held before reading pauses */
  maxBufferedBytes: number;
}

export interface Http1ConnectionHooks {
  countRead(bytes: number): void;
  countWrite(bytes: number): void;
  protocolError(err: HttpParseError): void;
  headerTimeout(): void;
  idleTimeout(): void;
}

/** A request body still unread after the response may be drained up to this much; beyond, close. */
const MAX_DISCARD_BYTES = 1 << 20;
/** How long a closing connection keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 2_000;

export class Http1ServerConnection implements Http1DecoderEvents, StreamOwner {
  readonly socket: Socket;
  readonly #opts: Http1ServerOptions;
  readonly #factory: ServerHandlerFactory;
  readonly #hooks: Http1ConnectionHooks;
  readonly #decoder: Http1Decoder;
  #stream: Http1ServerStream | undefined;
  #leftover: Buffer | undefined;
  #inExecute = false;
  #requests = 0;
  #draining = false;
  #closing = false;
  #detached = false;
  #readPaused = false;
  #headerTimer: NodeJS.Timeout | undefined;
  readonly #onData = (chunk: Buffer): void => this.#data(chunk);

  constructor(socket: Socket, opts: Http1ServerOptions, factory: ServerHandlerFactory, hooks: Http1ConnectionHooks) {
    this.socket = socket;
    this.#opts = opts;
    this.#factory = factory;
    this.#hooks = hooks;
    this.#decoder = new Http1Decoder(true, opts.limits, this);
  }

  /** Takes over the (paused) socket; `head` holds bytes a detector already read. */
  start(head: Buffer | undefined): void {
    const s = this.socket;
    s.on('data', this.#onData);
    s.on('end', () => this.#peerEnded());
    s.on('error', () => this.#gone());
    s.on('close', () => this.#gone());
    if (this.#opts.idleTimeoutMs > 0) s.setTimeout(this.#opts.idleTimeoutMs, () => this.#idle());
    if (head !== undefined && head.length > 0) this.#data(head);
    s.resume();
  }

  /** Graceful stop: idle now -> close; busy -> close after the current response. */
  drain(): void {
    this.#draining = true;
    if (this.#stream === undefined && this.#decoder.idle) this.#close();
  }

  #data(chunk: Buffer): void {
    if (this.#detached) return;
    this.#hooks.countRead(chunk.length);
    if (this.#closing) return; // lingering: read and drop
    if (this.#decoder.paused) {
      this.#leftover = this.#leftover === undefined ? chunk : Buffer.concat([this.#leftover, chunk]);
      if (this.#leftover.length > this.#opts.maxBufferedBytes) this.pauseReading();
      return;
    }
    this.#execute(chunk);
  }

  #execute(chunk: Buffer): void {
    this.#inExecute = true;
    let reached = chunk.length;
    try {
      reached = this.#decoder.execute(chunk, 0);
    } catch (err) {
      this.#inExecute = false;
      if (err instanceof HttpParseError) this.#protocolError(err);
      else throw err;
      return;
    }
    this.#inExecute = false;
    if (reached < chunk.length) {
      const rest = chunk.subarray(reached);
      this.#leftover = this.#leftover === undefined ? rest : Buffer.concat([rest, this.#leftover]);
    }
    this.#watchHeaderTimeout();
  }

  /** Arms the request-head timer while a head is partly received; clears it otherwise. */
  #watchHeaderTimeout(): void {
    const waiting = !this.#decoder.idle && this.#stream === undefined && !this.#decoder.inBody;
    if (waiting && this.#headerTimer === undefined) {
      this.#headerTimer = setTimeout(() => this.#headerTimeout(), this.#opts.requestHeadersTimeoutMs);
    } else if (!waiting && this.#headerTimer !== undefined) {
      clearTimeout(this.#headerTimer);
      this.#headerTimer = undefined;
    }
  }

  // ---- decoder events ----

  onHead(head: MessageHead): void {
    this.#requests++;
    const stream = new Http1ServerStream(this, head);
    this.#stream = stream;
    if (this.#headerTimer !== undefined) {
      clearTimeout(this.#headerTimer);
      this.#headerTimer = undefined;
    }
    // Nothing after an upgrade or CONNECT head is HTTP until the proxy decides. An Upgrade request
    // with a body is read whole first (the switch can only follow it; RFC 9110 §7.8).
    if (head.method === 'CONNECT' || (head.upgrade && head.connUpgrade && !stream.hasBody)) this.#decoder.pause();
    stream.handler = this.#factory(stream);
  }

  onBody(chunk: Buffer, start: number, end: number): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    stream.bytesReceived += end - start;
    stream.handler?.onRequestData(chunk.subarray(start, end));
  }

  onMessageComplete(trailers: Buffer | undefined): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    stream.requestComplete = true;
    if (!stream.responseComplete) this.#decoder.pause();
    stream.handler?.onRequestEnd(trailers);
    this.#next(stream);
  }

  // ---- StreamOwner ----

  shouldClose(stream: Http1ServerStream): boolean {
    const h = stream.head;
    if (stream.forceClose || this.#draining || h.connClose || (h.versionMinor === 0 && !h.connKeepAlive)) return true;
    if (this.#opts.maxRequestsPerConnection > 0 && this.#requests >= this.#opts.maxRequestsPerConnection) return true;
    // The client waits for 100 Continue before sending its body, and will not get it now: whether
    // it sends the body anyway is its choice, so the connection cannot be reused safely.
    if (!stream.requestComplete && stream.hasBody && h.expectContinue && !stream.continueSent) {
      stream.forceClose = true;
      return true;
    }
    // A request body we have not read yet: drained if small, else the connection goes.
    if (!stream.requestComplete && stream.hasBody && (h.chunked || h.contentLength - (stream.bytesReceived - h.buf.length) > MAX_DISCARD_BYTES)) {
      stream.forceClose = true;
      return true;
    }
    return false;
  }

  countWrite(bytes: number): void {
    this.#hooks.countWrite(bytes);
  }

  responseDone(stream: Http1ServerStream): void {
    if (this.shouldClose(stream)) {
      this.#stream = undefined;
      this.#close();
      return;
    }
    // the rest of an unread body is drained; reading may have been paused for backpressure
    if (!stream.requestComplete) this.resumeReading();
    this.#next(stream);
  }

  pauseReading(): void {
    if (this.#readPaused) return;
    this.#readPaused = true;
    this.socket.pause();
  }

  resumeReading(): void {
    if (!this.#readPaused) return;
    this.#readPaused = false;
    this.socket.resume();
  }

  detachForTunnel(): Buffer | undefined {
    this.#detached = true;
    this.socket.off('data', this.#onData);
    this.socket.setTimeout(0);
    const rest = this.#leftover;
    this.#leftover = undefined;
    this.#stream = undefined;
    return rest;
  }

  // ---- sequencing ----

  /** Both halves of the exchange are done: move on to the next (pipelined) request. */
  #next(stream: Http1ServerStream): void {
    if (!stream.requestComplete || !stream.responseComplete || this.#stream !== stream) return;
    this.#stream = undefined;
    if (this.#draining) {
      this.#close();
      return;
    }
    this.#decoder.resume();
    if (this.#inExecute) return; // the decoder loop goes on with the bytes it holds
    const rest = this.#leftover;
    this.#leftover = undefined;
    if (rest !== undefined) this.#execute(rest);
    if (this.#stream === undefined) this.resumeReading();
  }

  #protocolError(err: HttpParseError): void {
    this.#hooks.protocolError(err);
    const stream = this.#stream;
    if (stream !== undefined && stream.responseStarted) {
      // framing is lost in the middle of an exchange: nothing more can be said on this connection
      stream.handler?.onReset('protocol-error');
      this.#stream = undefined;
      this.socket.destroy();
      return;
    }
    if (stream !== undefined) {
      stream.handler?.onReset('protocol-error');
      this.#stream = undefined;
    }
    this.#reply(err.status, `${err.message}\n`);
  }

  /** A reply outside any proxied exchange (bad request, timeout), then close. */
  #reply(status: number, body: string): void {
    if (this.#closing || this.socket.destroyed) return;
    const text = encodeLocalReply({ status, body, close: true });
    this.#hooks.countWrite(text.length);
    this.socket.write(text, 'latin1');
    this.#close();
  }

  #headerTimeout(): void {
    this.#headerTimer = undefined;
    if (this.#stream !== undefined || this.#decoder.idle) return;
    this.#hooks.headerTimeout();
    this.#reply(408, 'request headers not received in time\n');
  }

  #idle(): void {
    if (this.#stream !== undefined || this.#detached) return;
    this.#hooks.idleTimeout();
    this.#close();
  }

  #peerEnded(): void {
    if (this.#detached || this.#closing) return;
    const stream = this.#stream;
    if (stream !== undefined && !stream.requestComplete) {
      // the client stopped sending in the middle of a request
      try {
        this.#decoder.end();
      } catch {
        stream.handler?.onReset('downstream-closed');
        this.#stream = undefined;
        this.socket.destroy();
        return;
      }
    }
    if (this.#stream === undefined) this.#close();
    // else: a request is being answered; the response is written, then the connection closes
    else this.#draining = true;
  }

  /** Ends our side after what is queued, and drops what the client still sends for a moment. */
  #close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#headerTimer !== undefined) clearTimeout(this.#headerTimer);
    const s = this.socket;
    s.end();
    if (s.readableEnded) return;
    this.resumeReading();
    const linger = setTimeout(() => s.destroy(), LINGER_MS);
    linger.unref();
    s.once('close', () => clearTimeout(linger));
  }

  #gone(): void {
    if (this.#headerTimer !== undefined) {
      clearTimeout(this.#headerTimer);
      this.#headerTimer = undefined;
    }
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream !== undefined && !this.#detached && !(stream.requestComplete && stream.responseComplete)) {
      stream.handler?.onReset('downstream-closed');
    }
  }
}
