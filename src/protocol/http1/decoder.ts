// The HTTP/1.1 message stream of one connection: heads and bodies in order, with pause/resume
// so the stream layer handles one message at a time (pipelined requests wait their turn, and
// unread bytes apply backpressure instead of piling up).
import { BodyDecoder, BodyMode, type BodySink } from './body-decoder.ts';
import { HeadParser, type HeadLimits } from './head-parser.ts';
import type { MessageHead } from './message-head.ts';

export interface Http1DecoderEvents {
  onHead(head: MessageHead): void;
  onBody(chunk: Buffer, start: number, end: number): void;
  onMessageComplete(trailers: Buffer | undefined): void;
}

export interface Http1Limits extends HeadLimits {
  /** 0 = unlimited */
  maxBodyBytes: number;
}

export class Http1Decoder implements BodySink {
  readonly #heads: HeadParser;
  readonly #body: BodyDecoder;
  readonly #events: Http1DecoderEvents;
  readonly #request: boolean;
  #inBody = false;
  #paused = false;
  /** responses: the request was HEAD (no body whatever the headers say) */
  headRequest = false;
  /** responses: the request was CONNECT (a 2xx opens a tunnel: no body) */
  connectRequest = false;
  /** offset just past the last head in the chunk being executed (valid during onHead) */
  headEnd = 0;

  constructor(request: boolean, limits: Http1Limits, events: Http1DecoderEvents) {
    this.#request = request;
    this.#heads = new HeadParser(request, limits);
    this.#body = new BodyDecoder(limits.maxBodyBytes, !request);
    this.#events = events;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** No message is partly received. */
  get idle(): boolean {
    return !this.#inBody && !this.#heads.inProgress;
  }

  get inBody(): boolean {
    return this.#inBody;
  }

  /** Stop at the next message boundary event; `execute` returns where it stopped. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  /** Feeds bytes; returns the offset reached (chunk.length unless paused). Throws HttpParseError. */
  execute(chunk: Buffer, start = 0): number {
    let pos = start;
    while (pos < chunk.length && !this.#paused) {
      if (!this.#inBody) {
        const end = this.#heads.feed(chunk, pos);
        if (end < 0) return chunk.length;
        pos = end;
        this.headEnd = end;
        const head = this.#heads.take();
        const mode = this.#bodyMode(head);
        // a declared length over the body limit fails here, before anything is forwarded
        if (mode !== BodyMode.none) this.#body.begin(mode, head.contentLength);
        this.#events.onHead(head);
        if (mode === BodyMode.none) {
          this.#events.onMessageComplete(undefined);
          continue;
        }
        this.#inBody = true;
        continue;
      }
      const end = this.#body.feed(chunk, pos, this);
      if (end < 0) return chunk.length;
      pos = end;
    }
    return pos;
  }

  /** The peer closed its side: completes a close-delimited body; anything partial is an error. */
  end(): void {
    if (this.#inBody) this.#body.end(this);
  }

  /** How the body after `head` is delimited (the length, when there is one, is head.contentLength). */
  #bodyMode(head: MessageHead): BodyMode {
    if (!this.#request) {
      const s = head.status;
      if (s < 200 || s === 204 || s === 304 || this.headRequest || (this.connectRequest && s < 300)) return BodyMode.none;
      if (head.chunked) return BodyMode.chunked;
      if (head.contentLength >= 0) return head.contentLength === 0 ? BodyMode.none : BodyMode.length;
      return BodyMode.eof;
    }
    if (head.chunked) return BodyMode.chunked;
    return head.contentLength > 0 ? BodyMode.length : BodyMode.none;
  }

  // BodySink
  onBody(chunk: Buffer, start: number, end: number): void {
    this.#events.onBody(chunk, start, end);
  }

  onBodyEnd(trailers: Buffer | undefined): void {
    this.#inBody = false;
    this.#events.onMessageComplete(trailers);
  }
}
