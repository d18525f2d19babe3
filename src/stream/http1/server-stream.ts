// One request/response exchange on a downstream HTTP/1.1 connection: the response side
// (framing, the Connection header, coalescing the head with the first body bytes into one
// write) and the request side's flow control, on behalf of the proxy.
import type { Socket } from 'node:net';
import { encodeLocalReply, lastChunk } from '../../protocol/http1/encoder.ts';
import { STATUS_TEXT } from '../../protocol/http1/constants.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { writeBodyChunk } from './body-writer.ts';
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
  #framing: BodyFraming = 'none';
  /** head text waiting to be written with the first body bytes */
  #pendingHead: string | undefined;

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
    if (framing === 'chunked') text += 'transfer-encoding: chunked\r\n';
    if (status !== 101) {
      if (this.#owner.shouldClose(this)) text += 'connection: close\r\n';
      else if (this.head.versionMinor === 0) text += 'connection: keep-alive\r\n';
    }
    text += '\r\n';
    if (framing === 'none') {
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
    this.#framing = 'none';
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
    if (chunk.length === 0) return true;
    const head = this.#pendingHead;
    this.#pendingHead = undefined;
    this.bytesSent += chunk.length;
    return writeBodyChunk(this.#owner.socket, this.#owner, head, chunk, this.#framing === 'chunked');
  }

  end(trailers?: Buffer): void {
    if (this.#framing === 'chunked') {
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
    this.#owner.socket.once('drain', cb);
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
