// One request/response exchange on a downstream HTTP/1.1 connection: the response side
// (framing, the Connection header, coalescing the head with the first body bytes into one
// write) and the request side's flow control, on behalf of the proxy.
import type { Socket } from 'node:net';
import { chunkHeader, encodeLocalReply, lastChunk } from '../../protocol/http1/encoder.ts';
import { STATUS_TEXT } from '../../protocol/http1/constants.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import type { BodyFraming, ServerRequestHandler, ServerStreamApi } from './types.ts';

/** What the stream needs from its connection. */
export interface StreamOwner {
  readonly socket: Socket;
  /** the response to this request is the last on the connection */
  shouldClose(stream: Http1ServerStream): boolean;
  countWrite(bytes: number): void;
  responseDone(stream: Http1ServerStream): void;
  pauseReading(): void;
  resumeReading(): void;
  detachForTunnel(): Buffer | undefined;
}

const NO_BODY: BodyFraming = { kind: 'none' };

/** Below this many bytes a body chunk is copied into the head's string to make one write. */
const COALESCE_LIMIT = 16 * 1024;

export class Http1ServerStream implements ServerStreamApi {
  readonly head: MessageHead;
  readonly hasBody: boolean;
  handler: ServerRequestHandler | undefined;
  requestComplete = false;
  responseStarted = false;
  responseComplete = false;
  /** set when this response must close the connection */
  forceClose = false;
  /** `100 Continue` went out for this request */
  continueSent = false;
  bytesReceived = 0;
  bytesSent = 0;
  readonly #owner: StreamOwner;
  #framing: BodyFraming = NO_BODY;
  /** head text waiting to be written with the first body bytes */
  #pendingHead: string | undefined;
  #drainWaiter: (() => void) | undefined;

  constructor(owner: StreamOwner, head: MessageHead) {
    this.#owner = owner;
    this.head = head;
    this.hasBody = head.chunked || head.contentLength > 0;
    this.bytesReceived = head.buf.length;
  }

  get remoteAddress(): string {
    return this.#owner.socket.remoteAddress ?? '';
  }
  get remotePort(): number {
    return this.#owner.socket.remotePort ?? 0;
  }
  get localAddress(): string {
    return this.#owner.socket.localAddress ?? '';
  }
  get localPort(): number {
    return this.#owner.socket.localPort ?? 0;
  }

  closeAfterResponse(): void {
    this.forceClose = true;
  }

  sendContinue(): void {
    const h = this.head;
    // HTTP/1.0 clients never get a 1xx (RFC 9110 §15.2); a body already arriving needs no go-ahead
    if (!h.expectContinue || !this.hasBody || this.continueSent || this.responseStarted || this.requestComplete || h.versionMinor === 0) return;
    if (this.bytesReceived > h.buf.length) return;
    this.continueSent = true;
    this.#writeString('HTTP/1.1 100 Continue\r\n\r\n');
  }

  respond(status: number, reason: string, headerLines: string, framing: BodyFraming): void {
    this.responseStarted = true;
    this.#framing = framing;
    let text = `HTTP/1.1 ${status} ${reason || STATUS_TEXT[status] || 'Unknown'}\r\n${headerLines}`;
    if (framing.kind === 'chunked') text += 'transfer-encoding: chunked\r\n';
    if (status !== 101) {
      if (this.#owner.shouldClose(this)) text += 'connection: close\r\n';
      else if (this.head.versionMinor === 0) text += 'connection: keep-alive\r\n';
    }
    text += '\r\n';
    if (framing.kind === 'none') {
      this.#writeString(text);
      return;
    }
    // held back to go out in one write with the first body bytes; flush() sends it otherwise
    this.#pendingHead = text;
  }

  /** Writes a head still held back (the proxy calls this after each upstream read). */
  flush(): void {
    const head = this.#pendingHead;
    if (head === undefined) return;
    this.#pendingHead = undefined;
    this.#writeString(head);
  }

  retractResponse(): boolean {
    if (this.#pendingHead === undefined || this.responseComplete) return false;
    this.#pendingHead = undefined;
    this.#framing = NO_BODY;
    this.responseStarted = false;
    return true;
  }

  /** Writes protocol text (and body bytes inside it: `bodyBytes` of them, for bytesSent). */
  #writeString(text: string, bodyBytes = 0): boolean {
    this.bytesSent += bodyBytes;
    this.#owner.countWrite(text.length);
    return this.#owner.socket.write(text, 'latin1');
  }

  write(chunk: Buffer): boolean {
    const n = chunk.length;
    if (n === 0) return true;
    const chunked = this.#framing.kind === 'chunked';
    const head = this.#pendingHead;
    this.#pendingHead = undefined;
    if (n <= COALESCE_LIMIT) {
      let text = head ?? '';
      text += chunked ? `${chunkHeader(n)}${chunk.latin1Slice(0, n)}\r\n` : chunk.latin1Slice(0, n);
      return this.#writeString(text, n);
    }
    const socket = this.#owner.socket;
    socket.cork();
    if (head !== undefined) this.#writeString(head);
    if (chunked) this.#writeString(chunkHeader(n));
    this.bytesSent += n;
    this.#owner.countWrite(n);
    let ok = socket.write(chunk);
    if (chunked) ok = this.#writeString('\r\n');
    socket.uncork();
    return ok;
  }

  end(trailers?: Buffer): void {
    if (this.#framing.kind === 'chunked') {
      const tail = lastChunk(trailers);
      const head = this.#pendingHead ?? '';
      this.#pendingHead = undefined;
      this.#writeString(head + tail);
    } else {
      this.flush();
    }
    this.responseComplete = true;
    this.#owner.responseDone(this);
  }

  onDrain(cb: () => void): void {
    if (!this.#owner.socket.writableNeedDrain) {
      queueMicrotask(cb);
      return;
    }
    this.#drainWaiter = cb;
    this.#owner.socket.once('drain', () => this.#onSocketDrain());
  }

  #onSocketDrain(): void {
    const cb = this.#drainWaiter;
    this.#drainWaiter = undefined;
    cb?.();
  }

  sendLocalReply(status: number, body: string, headerLines?: string, contentType?: string): void {
    if (this.responseStarted) return;
    this.responseStarted = true;
    const text = encodeLocalReply({
      status,
      body,
      headers: headerLines,
      contentType,
      close: this.#owner.shouldClose(this),
      headOnly: this.head.method === 'HEAD',
    });
    this.#writeString(text, Buffer.byteLength(body));
    this.responseComplete = true;
    this.#owner.responseDone(this);
  }

  pauseRequest(): void {
    this.#owner.pauseReading();
  }

  resumeRequest(): void {
    this.#owner.resumeReading();
  }

  reset(): void {
    this.forceClose = true;
    this.#owner.socket.destroy();
  }

  upgradeToTunnel(): { socket: Socket; head: Buffer | undefined } {
    this.flush();
    return { socket: this.#owner.socket, head: this.#owner.detachForTunnel() };
  }
}
