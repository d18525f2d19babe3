// A downstream connection speaking a multiplexed RPC protocol (Bolt, Dubbo): frames are decoded
// as they arrive, heartbeats are answered here and never proxied, requests go to the proxy and
// their responses come back in whatever order upstreams answer. Bytes that cannot be framed
// close the connection (and count); nothing a length field claims is allocated before it arrives.
import type { Socket } from 'node:net';
import type { RpcCodec, RpcDecoder, RpcFrame } from '../../api/rpc-codec.ts';
import type { ProxyStatus } from '../../api/status.ts';
import { CodecError } from '../../common/errors.ts';
import { WriteBatcher } from '../../network/write-batcher.ts';

export interface RpcServerHooks {
  countRead(bytes: number): void;
  countWrite(bytes: number): void;
  codecError(err: CodecError): void;
  heartbeat(): void;
  /** closed for connection_idle_timeout */
  idleTimeout(): void;
}

export interface RpcServerOptions {
  maxFrameSize: number;
  /** close after this long without a frame; 0 = never */
  idleTimeoutMs: number;
  /** send a GoAway frame when draining (Bolt with enable_bolt_goaway) */
  goAwayOnDrain: boolean;
}

/** Replies queued towards a client that does not read them: beyond this, stop reading its requests. */
const MAX_PENDING_WRITE_BYTES = 4 * 1024 * 1024;

/** One request from the downstream, answered exactly once (unless one-way). */
export class RpcServerStream {
  readonly frame: RpcFrame;
  readonly conn: RpcServerConnection;
  /** the downstream's request id, read before the frame is re-used with an upstream id */
  readonly downstreamId: number;
  /**
   * For an id a double cannot hold exactly (Dubbo ids >= 2^53): a copy of the frame's leading
   * bytes, so the id is put back byte for byte (copyRequestId reads only `raw`).
   */
  readonly exactIdSource: RpcFrame | undefined;
  answered = false;

  constructor(conn: RpcServerConnection, frame: RpcFrame) {
    this.conn = conn;
    this.frame = frame;
    this.downstreamId = frame.requestId;
    if (!Number.isSafeInteger(frame.requestId)) this.exactIdSource = leadingBytes(frame);
  }

  /**
   * What an error reply is built from: a copy of the request's leading bytes with the
   * downstream id. Never the frame itself: after send() its bytes carry the upstream id and may
   * still wait in the upstream connection's write queue, so patching them back would send the
   * upstream a request under the client's id.
   */
  errorSource(): RpcFrame {
    if (this.exactIdSource !== undefined) return this.exactIdSource;
    const copy = leadingBytes(this.frame);
    this.conn.codec.setRequestId(copy, this.downstreamId);
    return copy;
  }

  /** Relays an upstream response, with this request's id put back. */
  respond(response: RpcFrame): void {
    if (this.answered) return;
    this.answered = true;
    this.conn.writeResponse(this, response);
  }

  /** Answers with the protocol's own error response for a proxy status. */
  respondError(status: ProxyStatus, message: string): void {
    if (this.answered) return;
    this.answered = true;
    this.conn.writeError(this, status, message);
  }
}

/** Enough of a frame for its id and every header field (Bolt v2 24 bytes, Dubbo 16). */
const LEADING_BYTES = 64;

function leadingBytes(frame: RpcFrame): RpcFrame {
  // the codecs read ids and header fields of such a stand-in from `raw` only
  return { raw: Buffer.from(frame.raw.subarray(0, Math.min(frame.raw.length, LEADING_BYTES))) } as RpcFrame;
}

export type RpcRequestSink = (stream: RpcServerStream) => void;

export class RpcServerConnection {
  readonly socket: Socket;
  readonly codec: RpcCodec;
  readonly #decoder: RpcDecoder;
  readonly #opts: RpcServerOptions;
  readonly #onRequest: RpcRequestSink;
  readonly #hooks: RpcServerHooks;
  /** requests waiting for an answer */
  #inFlight = 0;
  #draining = false;
  #readPaused = false;
  /** answers produced while handling one read go out in one write */
  readonly #out: WriteBatcher;
  readonly #onFrame = (frame: RpcFrame): void => this.#frame(frame);

  constructor(socket: Socket, codec: RpcCodec, opts: RpcServerOptions, onRequest: RpcRequestSink, hooks: RpcServerHooks) {
    this.socket = socket;
    this.codec = codec;
    this.#opts = opts;
    this.#onRequest = onRequest;
    this.#hooks = hooks;
    this.#decoder = codec.newDecoder({ maxFrameSize: opts.maxFrameSize });
    this.#out = new WriteBatcher(socket, () => this.#pauseIfBacklogged());
  }

  start(head: Buffer | undefined): void {
    const s = this.socket;
    s.on('data', (chunk: Buffer) => this.#data(chunk));
    s.on('end', () => this.#peerEnded());
    s.on('error', () => s.destroy());
    s.on('drain', () => this.#resumeIfWritable());
    // like MOSN's idle checker: no bytes either way for this long, whatever is in flight
    if (this.#opts.idleTimeoutMs > 0) {
      s.setTimeout(this.#opts.idleTimeoutMs, () => {
        this.#hooks.idleTimeout();
        s.destroy();
      });
    }
    if (head !== undefined && head.length > 0) this.#data(head);
    s.resume();
  }

  #data(chunk: Buffer): void {
    this.#hooks.countRead(chunk.length);
    try {
      this.#decoder.feed(chunk, this.#onFrame);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      // framing is lost: nothing more on this connection can be trusted
      this.#hooks.codecError(err);
      this.socket.destroy();
    }
  }

  #frame(frame: RpcFrame): void {
    if (frame.kind === 'response' || frame.goAway) return; // MOSN ignores both from a client
    if (frame.heartbeat) {
      if (frame.kind === 'request') {
        this.#hooks.heartbeat();
        this.#write(this.codec.heartbeatReply(frame));
      }
      return;
    }
    const stream = new RpcServerStream(this, frame);
    if (frame.kind === 'request') this.#inFlight++;
    else stream.answered = true; // one-way: no response will ever be written
    this.#onRequest(stream);
  }

  writeResponse(stream: RpcServerStream, response: RpcFrame): void {
    if (stream.exactIdSource !== undefined) this.codec.copyRequestId(stream.exactIdSource, response);
    else this.codec.setRequestId(response, stream.downstreamId);
    this.#answered(response.raw);
  }

  writeError(stream: RpcServerStream, status: ProxyStatus, message: string): void {
    this.#answered(this.codec.errorResponse(stream.errorSource(), status, message));
  }

  #answered(bytes: Buffer): void {
    this.#inFlight--;
    this.#write(bytes);
    if (this.#draining && this.#inFlight === 0) this.#end();
  }

  /** Ends our side after every queued answer. */
  #end(): void {
    this.#out.flush();
    this.socket.end();
  }

  #write(bytes: Buffer): void {
    if (this.socket.destroyed) return;
    this.#hooks.countWrite(bytes.length);
    this.#out.write(bytes);
  }

  /**
   * After a flush: if the socket itself holds more than the limit (the client is not reading),
   * stop reading its requests until 'drain'. Only bytes the socket holds count — 'drain' comes
   * only for those.
   */
  #pauseIfBacklogged(): void {
    if (!this.#readPaused && this.socket.writableNeedDrain && this.socket.writableLength > MAX_PENDING_WRITE_BYTES) {
      this.#readPaused = true;
      this.socket.pause();
    }
  }

  #resumeIfWritable(): void {
    if (this.#readPaused && this.socket.writableLength <= MAX_PENDING_WRITE_BYTES / 2) {
      this.#readPaused = false;
      this.socket.resume();
    }
  }

  /** The client sent FIN: it sends nothing more, but still gets the answers it waits for. */
  #peerEnded(): void {
    this.#draining = true;
    if (this.#inFlight === 0) this.#end();
  }

  /** Graceful stop: GoAway if enabled, no new requests, close once every answer is out. */
  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const goAway = this.#opts.goAwayOnDrain ? this.codec.goAway?.() : undefined;
    if (goAway !== undefined) this.#write(goAway);
    if (this.#inFlight === 0) this.#end();
  }
}
