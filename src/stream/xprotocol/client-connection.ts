// A multiplexed upstream RPC connection: every request gets a fresh id from this connection's
// counter (wrapping within the protocol's id width and skipping ids still in flight, MOSN
// #2403), responses are matched back by id, idle connections send heartbeats (closed after
// MAX_HEARTBEAT_FAILURES unanswered ones), a GoAway stops new requests, and a close fails only
// this connection's own in-flight requests.
import type { UpstreamConnection } from '../../api/cluster.ts';
import type { RpcCodec, RpcDecoder, RpcFrame } from '../../api/rpc-codec.ts';
import { CodecError } from '../../common/errors.ts';
import { WriteBatcher } from '../../network/write-batcher.ts';
import { PendingRequests } from './pending-requests.ts';

export type RpcUpstreamFailure = 'upstream-closed' | 'protocol-error';

export interface RpcResponseSink {
  onRpcResponse(response: RpcFrame): void;
  onRpcFailure(reason: RpcUpstreamFailure): void;
}

export interface RpcClientHooks {
  countRead(bytes: number): void;
  countWrite(bytes: number): void;
  closed(conn: RpcClientConnection): void;
}

export interface RpcClientOptions {
  maxFrameSize: number;
  /** heartbeat after this long without traffic; 0 = never */
  keepaliveIntervalMs: number;
  /** a heartbeat unanswered for this long counts as failed */
  keepaliveTimeoutMs: number;
}

/** MOSN closes an upstream connection after 6 failed heartbeats in a row. */
const MAX_HEARTBEAT_FAILURES = 6;

export class RpcClientConnection {
  readonly upstream: UpstreamConnection;
  readonly codec: RpcCodec;
  readonly #decoder: RpcDecoder;
  readonly #hooks: RpcClientHooks;
  readonly #opts: RpcClientOptions;
  readonly #pending = new PendingRequests();
  #nextId = 1;
  /** the upstream asked for no new requests (GoAway) */
  draining = false;
  #closed = false;
  /** requests forwarded while handling one downstream read go out in one write */
  readonly #out: WriteBatcher;
  #heartbeatId = 0;
  #heartbeatFailures = 0;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  /** requests sent and answers received: an idle check compares it (no clock read per frame) */
  #traffic = 0;
  #trafficAtCheck = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(upstream: UpstreamConnection, codec: RpcCodec, opts: RpcClientOptions, hooks: RpcClientHooks) {
    this.upstream = upstream;
    this.codec = codec;
    this.#opts = opts;
    this.#hooks = hooks;
    this.#decoder = codec.newDecoder({ maxFrameSize: opts.maxFrameSize });
    this.#out = new WriteBatcher(upstream.socket);
    const s = upstream.socket;
    const onFrame = (f: RpcFrame): void => this.#frame(f);
    s.on('data', (chunk: Buffer) => {
      hooks.countRead(chunk.length);
      try {
        this.#decoder.feed(chunk, onFrame);
      } catch (err) {
        if (!(err instanceof CodecError)) throw err;
        this.#fail('protocol-error');
      }
    });
    s.on('error', () => this.#fail('upstream-closed'));
    s.on('close', () => this.#fail('upstream-closed'));
    s.on('end', () => this.#fail('upstream-closed'));
    if (opts.keepaliveIntervalMs > 0) this.#scheduleIdleCheck();
  }

  get usable(): boolean {
    return !this.#closed && !this.draining;
  }

  /** Writes `frame` with a fresh id. For requests, `sink` hears the answer; returns the id. */
  send(frame: RpcFrame, sink: RpcResponseSink | undefined): number {
    const id = this.#allocateId();
    this.#traffic++;
    this.codec.setRequestId(frame, id);
    if (sink !== undefined) this.#pending.set(id, sink);
    this.#write(frame.raw);
    return id;
  }

  /** Forgets a request (timed out, or the downstream went away); a late answer is dropped. */
  cancel(id: number): void {
    this.#pending.delete(id);
    if (this.draining && this.#pending.size === 0) this.upstream.close();
  }

  #allocateId(): number {
    const max = this.codec.maxRequestId;
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id >= max ? 1 : id + 1;
      if (!this.#pending.has(id) && id !== this.#heartbeatId) return id;
    }
  }

  #write(bytes: Buffer): void {
    this.#hooks.countWrite(bytes.length);
    this.#out.write(bytes);
  }

  #frame(frame: RpcFrame): void {
    if (frame.goAway) {
      this.draining = true;
      if (this.#pending.size === 0) this.upstream.close();
      return;
    }
    if (frame.heartbeat) {
      if (frame.kind === 'request') this.#write(this.codec.heartbeatReply(frame));
      else if (frame.requestId === this.#heartbeatId) this.#heartbeatAnswered();
      return;
    }
    if (frame.kind !== 'response') return; // upstreams do not send us requests
    this.#traffic++;
    const sink = this.#pending.get(frame.requestId);
    if (sink === undefined) return; // cancelled (timed out) or unknown: dropped
    this.#pending.delete(frame.requestId);
    sink.onRpcResponse(frame);
    if (this.draining && this.#pending.size === 0) this.upstream.close();
  }

  #scheduleIdleCheck(): void {
    const interval = this.#opts.keepaliveIntervalMs;
    this.#idleTimer = setTimeout(() => {
      if (this.#closed) return;
      // idle for a whole interval: no request or answer since the last check
      if (this.#traffic === this.#trafficAtCheck && this.#heartbeatTimer === undefined) this.#sendHeartbeat();
      this.#trafficAtCheck = this.#traffic;
      this.#scheduleIdleCheck();
    }, interval);
    this.#idleTimer.unref();
  }

  #sendHeartbeat(): void {
    this.#heartbeatId = this.#allocateId();
    this.#write(this.codec.heartbeat(this.#heartbeatId));
    this.#heartbeatTimer = setTimeout(() => {
      this.#heartbeatTimer = undefined;
      this.#heartbeatId = 0;
      if (++this.#heartbeatFailures >= MAX_HEARTBEAT_FAILURES) this.upstream.close();
    }, this.#opts.keepaliveTimeoutMs);
    this.#heartbeatTimer.unref();
  }

  #heartbeatAnswered(): void {
    if (this.#heartbeatTimer !== undefined) clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
    this.#heartbeatId = 0;
    this.#heartbeatFailures = 0;
  }

  #fail(reason: 'upstream-closed' | 'protocol-error'): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    if (this.#heartbeatTimer !== undefined) clearTimeout(this.#heartbeatTimer);
    this.upstream.close();
    const sinks = this.#pending.drain();
    for (const sink of sinks) sink.onRpcFailure(reason);
    this.#hooks.closed(this);
  }
}
