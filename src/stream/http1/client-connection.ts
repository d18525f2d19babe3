// An upstream HTTP/1.1 connection carrying one request at a time (ping-pong). It frames the
// request body, parses the response, and says afterwards whether it can be reused: never after
// `Connection: close`, an HTTP/1.0 answer without keep-alive, a close-delimited body, an
// unfinished request, or bad framing (RFC 9112 §9.3, reliability.md §1.5).
import type { UpstreamConnection } from '../../api/cluster.ts';
import { Http1Decoder, type Http1DecoderEvents, type Http1Limits } from '../../protocol/http1/decoder.ts';
import { lastChunk } from '../../protocol/http1/encoder.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { HttpParseError } from '../../protocol/http1/parse-error.ts';
import { writeBodyChunk } from './body-writer.ts';
import type { BodyFraming } from './types.ts';

export type UpstreamResetReason = 'reset-before-response' | 'reset-mid-response' | 'protocol-error';

export interface ClientResponseHandler {
  onResponseHead(head: MessageHead): void;
  onResponseData(chunk: Buffer): void;
  onResponseEnd(trailers: Buffer | undefined): void;
  onUpstreamReset(reason: UpstreamResetReason, error: Error | undefined): void;
  /** one socket read has been processed (a point to flush coalesced writes) */
  onReadEnd(): void;
}

export interface ClientConnectionHooks {
  countRead(bytes: number): void;
  countWrite(bytes: number): void;
  /** the exchange is over; `reusable` says whether the connection may carry another */
  exchangeDone(conn: Http1ClientConnection, reusable: boolean): void;
  closed(conn: Http1ClientConnection): void;
}

export class Http1ClientConnection implements Http1DecoderEvents {
  readonly upstream: UpstreamConnection;
  readonly #decoder: Http1Decoder;
  readonly #hooks: ClientConnectionHooks;
  /** exchanges carried so far (including the current one) */
  requests = 0;
  #handler: ClientResponseHandler | undefined;
  #framing: BodyFraming = 'none';
  #pendingHead: string | undefined;
  #requestDone = false;
  #responseDone = false;
  #responseStarted = false;
  #reusable = true;
  #detached = false;
  readonly #onData = (chunk: Buffer): void => this.#data(chunk);

  constructor(upstream: UpstreamConnection, limits: Http1Limits, hooks: ClientConnectionHooks) {
    this.upstream = upstream;
    this.#hooks = hooks;
    this.#decoder = new Http1Decoder(false, limits, this);
    const s = upstream.socket;
    s.on('data', this.#onData);
    s.on('end', () => this.#peerEnded());
    s.on('error', (err) => this.#lost(err));
    s.on('close', () => this.#lost(undefined));
  }

  get socket(): import('node:net').Socket {
    return this.upstream.socket;
  }

  get alive(): boolean {
    return !this.upstream.socket.destroyed && !this.upstream.socket.readableEnded && !this.#detached;
  }

  /** Starts an exchange. The head is written with the first body bytes (or at the end of this tick). */
  send(head: string, framing: BodyFraming, handler: ClientResponseHandler, method: string): void {
    this.#handler = handler;
    this.requests++;
    this.#framing = framing;
    this.#requestDone = false;
    this.#responseDone = false;
    this.#responseStarted = false;
    this.#decoder.headRequest = method === 'HEAD';
    this.#decoder.connectRequest = method === 'CONNECT';
    if (framing === 'none') {
      this.#write(head);
      this.#requestDone = true;
      return;
    }
    // held back to go out with the first body bytes; the caller flushes otherwise
    this.#pendingHead = head;
  }

  flush(): void {
    const h = this.#pendingHead;
    if (h === undefined) return;
    this.#pendingHead = undefined;
    this.#write(h);
  }

  #write(text: string): boolean {
    this.#hooks.countWrite(text.length);
    return this.upstream.socket.write(text, 'latin1');
  }

  write(chunk: Buffer): boolean {
    if (chunk.length === 0) return true;
    const head = this.#pendingHead;
    this.#pendingHead = undefined;
    return writeBodyChunk(this.upstream.socket, this.#hooks, head, chunk, this.#framing === 'chunked');
  }

  end(trailers?: Buffer): void {
    if (this.#framing === 'chunked') this.#write((this.#pendingHead ?? '') + lastChunk(trailers));
    else this.flush();
    this.#pendingHead = undefined;
    this.#requestDone = true;
    this.#maybeDone();
  }

  onDrain(cb: () => void): void {
    const s = this.upstream.socket;
    if (!s.writableNeedDrain) queueMicrotask(cb);
    else s.once('drain', cb);
  }

  pauseReading(): void {
    this.#readPaused = true;
    this.upstream.socket.pause();
  }

  resumeReading(): void {
    if (!this.#readPaused) return;
    this.#readPaused = false;
    this.upstream.socket.resume();
  }
  #readPaused = false;

  /** Abandons the exchange and the connection (a local reset). */
  abort(): void {
    this.#handler = undefined;
    this.#reusable = false;
    this.upstream.close();
  }

  /** After a 101 / CONNECT 200: the socket becomes a raw tunnel; returns bytes already read. */
  detachForTunnel(): Buffer | undefined {
    this.#detached = true;
    this.#handler = undefined;
    this.upstream.socket.off('data', this.#onData);
    // called while the head is being decoded: what follows it in this read belongs to the tunnel
    const chunk = this.#reading;
    const from = this.#decoder.headEnd;
    return chunk !== undefined && from < chunk.length ? chunk.subarray(from) : undefined;
  }

  #data(chunk: Buffer): void {
    this.#hooks.countRead(chunk.length);
    if (this.#handler === undefined) {
      // bytes when no request is out: the upstream broke framing; never reuse
      this.#reusable = false;
      this.upstream.close();
      return;
    }
    const handler = this.#handler;
    let reached: number;
    this.#reading = chunk;
    try {
      reached = this.#decoder.execute(chunk, 0);
    } catch (err) {
      this.#reading = undefined;
      if (!(err instanceof HttpParseError)) throw err;
      this.#fail('protocol-error', err);
      return;
    }
    this.#reading = undefined;
    if (this.#detached) return;
    if (this.#completed) {
      this.#completed = false;
      this.#decoder.resume();
      // bytes beyond the end of the response: the upstream's framing cannot be trusted (nginx:
      // "upstream sent more data than specified"); the answer stands, the connection goes
      if (reached < chunk.length) this.#reusable = false;
      const trailers = this.#trailers;
      const done = this.#completedFor;
      this.#trailers = undefined;
      this.#completedFor = undefined;
      this.#responseComplete(done, trailers);
    }
    handler.onReadEnd();
  }
  /** the chunk being decoded (for the tunnel's first bytes) */
  #reading: Buffer | undefined;
  /** a response ended inside the current read; it is finished once the read is decoded */
  #completed = false;
  #trailers: Buffer | undefined;
  /** the handler the completed response belongs to (undefined if it let go meanwhile) */
  #completedFor: ClientResponseHandler | undefined;

  // ---- decoder events ----
  onHead(head: MessageHead): void {
    if (head.status < 200 && head.status !== 101) return; // 100 Continue and other interim answers
    this.#responseStarted = true;
    if (head.connClose || (head.versionMinor === 0 && !head.connKeepAlive)) this.#reusable = false;
    if (head.status === 101 || (this.#decoder.connectRequest && head.status < 300)) this.#decoder.pause();
    this.#handler?.onResponseHead(head);
  }

  onBody(chunk: Buffer, start: number, end: number): void {
    this.#handler?.onResponseData(chunk.subarray(start, end));
  }

  onMessageComplete(trailers: Buffer | undefined): void {
    if (!this.#responseStarted) return; // end of an interim response
    this.#responseDone = true;
    if (this.#reading !== undefined) {
      // stop here and finish after the read, when we know whether bytes follow the response
      this.#decoder.pause();
      this.#completed = true;
      this.#trailers = trailers;
      this.#completedFor = this.#handler;
      return;
    }
    this.#responseComplete(this.#handler, trailers);
  }

  #responseComplete(handler: ClientResponseHandler | undefined, trailers: Buffer | undefined): void {
    // Back to the pool first: ending the response may start the client's next (pipelined)
    // request at once, and it should find this connection idle rather than open another.
    this.#maybeDone();
    handler?.onResponseEnd(trailers);
  }

  #maybeDone(): void {
    if (!this.#requestDone || !this.#responseDone || this.#handler === undefined) return;
    this.#handler = undefined;
    // An idle connection always reads (to see a close). A pause for the client's backpressure
    // may still be on: the 'drain' that would lift it never comes if that client's socket ends.
    this.resumeReading();
    this.#hooks.exchangeDone(this, this.#reusable && this.alive);
  }

  #peerEnded(): void {
    if (this.#handler !== undefined && this.#responseStarted && !this.#responseDone) {
      try {
        this.#reusable = false;
        this.#decoder.end(); // completes a close-delimited body
        return;
      } catch (err) {
        this.#fail('reset-mid-response', err as Error);
        return;
      }
    }
    if (this.#handler !== undefined && !this.#responseDone) this.#fail('reset-before-response', undefined);
    this.upstream.close();
  }

  #fail(reason: UpstreamResetReason, err: Error | undefined): void {
    const handler = this.#handler;
    this.#handler = undefined;
    this.#reusable = false;
    this.upstream.close();
    handler?.onUpstreamReset(this.#responseStarted && reason === 'reset-before-response' ? 'reset-mid-response' : reason, err);
  }

  #lost(err: Error | undefined): void {
    if (this.#detached || this.#gone) return;
    this.#gone = true;
    if (this.#handler !== undefined) this.#fail(this.#responseStarted ? 'reset-mid-response' : 'reset-before-response', err);
    this.#hooks.closed(this);
  }
  #gone = false;
}
