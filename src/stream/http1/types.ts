// Contracts between the HTTP/1 stream layer and the proxy above it.
import type { MessageHead } from '../../protocol/http1/message-head.ts';

/**
 * How a message body is framed on the wire (the length itself travels in Content-Length);
 * 'eof': the response ends when the connection closes (only towards HTTP/1.0 clients).
 */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'eof';

export type ResetReason = 'downstream-closed' | 'protocol-error' | 'timeout' | 'upstream-closed';

/** The proxy's per-request handler, created when a request head has arrived. */
export interface ServerRequestHandler {
  onRequestData(chunk: Buffer): void;
  onRequestEnd(trailers: Buffer | undefined): void;
  /** the downstream side is gone or broken; no response can be written any more */
  onReset(reason: ResetReason): void;
}

export interface ServerStreamApi {
  readonly head: MessageHead;
  /** a body follows the request head */
  readonly hasBody: boolean;
  readonly requestComplete: boolean;
  readonly responseStarted: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** request bytes received (head and body), response bytes sent */
  readonly bytesReceived: number;
  readonly bytesSent: number;
  /** Answers `Expect: 100-continue` with `100 Continue` (once; not after the body or a response began). */
  sendContinue(): void;
  respond(status: number, reason: string, headerLines: string, framing: BodyFraming): void;
  /** false: the downstream buffer is full; wait for onDrain before writing more */
  write(chunk: Buffer): boolean;
  /** Sends a response head held back for coalescing with body bytes. */
  flush(): void;
  /**
   * Takes back a response whose head is still held (nothing written yet), so that a local reply
   * can replace it; false once any byte of it has gone out.
   */
  retractResponse(): boolean;
  end(trailers?: Buffer): void;
  onDrain(cb: () => void): void;
  sendLocalReply(status: number, body: string, headerLines?: string, contentType?: string): void;
  pauseRequest(): void;
  resumeRequest(): void;
  /** Switch to a raw byte tunnel (after a 101 or a CONNECT 200); returns the bytes already read. */
  upgradeToTunnel(): { socket: import('node:net').Socket; head: Buffer | undefined };
  /** do not keep the connection alive after this response */
  closeAfterResponse(): void;
  /** Abandons a response in flight: the connection is destroyed (the client sees the cut). */
  reset(): void;
}

export type ServerHandlerFactory = (stream: ServerStreamApi) => ServerRequestHandler;
