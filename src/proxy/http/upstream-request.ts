// One attempt of a proxied request at one upstream host: sends the head and body on a pooled
// connection (holding body bytes that arrive before the connection does, and a bounded copy for
// replaying idempotent requests on retry), forwards the response with backpressure both ways,
// and keeps the host's request metrics and process-wide active-request count.
import type { UpstreamHost } from '../../api/cluster.ts';
import type { TimeoutQueue, TimeoutTarget } from '../../common/timeout-queue.ts';
import { hostScope, REQUEST_BUCKETS } from '../../metrics/catalog.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { IDEMPOTENT_METHODS, STATUS_TEXT } from '../../protocol/http1/constants.ts';
import type { ClientResponseHandler, Http1ClientConnection, UpstreamResetReason } from '../../stream/http1/client-connection.ts';
import type { BodyFraming } from '../../stream/http1/types.ts';
import { downstreamFraming, downstreamHeaderLines } from './downstream-head.ts';
import type { DownstreamRequest } from './downstream-request.ts';
import { requestHeadFor, responseOverlay } from './route-headers.ts';

const H = hostScope.offset;

export class UpstreamRequest implements ClientResponseHandler, TimeoutTarget {
  readonly #r: DownstreamRequest;
  readonly host: UpstreamHost;
  /** hosts tried by this request so far, this one included (for the balancer on retry) */
  readonly tried: UpstreamHost[];
  conn: Http1ClientConnection | undefined;
  /** any request byte was written to this upstream */
  sentBytes = false;
  /** the connection had carried earlier requests (a keep-alive race is possible) */
  reusedConnection = false;
  responseHead: MessageHead | undefined;
  /** body bytes received before the connection was ready */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** copy of the whole body for a retry, while it fits */
  #replay: Buffer[] | undefined;
  #replayBytes = 0;
  #requestEnded = false;
  #trailers: Buffer | undefined;
  #active = true;
  readonly #t0 = performance.now();
  /** the per-try timeout, on the worker's shared queue for its duration */
  #tryQueue: TimeoutQueue | undefined;
  #tryTicket = 0;
  #waitingDrain = false;

  constructor(r: DownstreamRequest, host: UpstreamHost, previous: UpstreamRequest | undefined) {
    this.#r = r;
    this.host = host;
    this.tried = previous === undefined ? [host] : [...previous.tried, host];
    const policy = r.route?.retryPolicy;
    if (policy?.retryOn && IDEMPOTENT_METHODS.has(r.method) && r.stream.hasBody) this.#replay = [];
    if (previous !== undefined) {
      const carried = previous.#carry();
      if (carried !== undefined) for (const c of carried) this.#keep(c);
      this.#requestEnded = previous.#requestEnded;
      this.#trailers = previous.#trailers;
    }
    r.ctx.stats.inc(host.statsBase + H.requestTotal);
    r.ctx.counters.increment(host.activeRequestsSlot);
  }

  /** The whole body seen so far is still at hand for another attempt. */
  get replayable(): boolean {
    return !this.#r.stream.hasBody || !this.sentBytes || this.#replay !== undefined;
  }

  get localAddress(): string | undefined {
    const s = this.conn?.socket;
    return s === undefined ? undefined : `${s.localAddress}:${s.localPort}`;
  }

  /** Body chunks the next attempt starts from. */
  #carry(): Buffer[] | undefined {
    if (!this.sentBytes) return this.#pending;
    return this.#replay;
  }

  #keep(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#replay !== undefined) this.#remember(chunk);
  }

  #remember(chunk: Buffer): void {
    const replay = this.#replay!;
    this.#replayBytes += chunk.length;
    if (this.#replayBytes > this.#r.ctx.options.retryBufferBytes) this.#replay = undefined;
    else replay.push(chunk);
  }

  start(conn: Http1ClientConnection, perTryMs: number): void {
    const r = this.#r;
    this.conn = conn;
    this.reusedConnection = conn.requests > 0;
    const req = r.req;
    const framing: BodyFraming = req.chunked ? 'chunked' : req.contentLength > 0 ? 'length' : 'none';
    // forwarding is decided: the client may send its body now (MOSN answers Expect itself too)
    if (req.expectContinue) r.stream.sendContinue();
    conn.send(requestHeadFor(r, framing), framing, this, req.method);
    this.sentBytes = true;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const chunk of pending) this.#write(chunk);
    if (this.#requestEnded && framing !== 'none') conn.end(this.#trailers);
    conn.flush();
    r.stream.resumeRequest();
    const tryMs = r.vars.tryTimeoutMs(perTryMs);
    if (tryMs > 0) {
      this.#tryQueue = r.ctx.timeouts.get(tryMs);
      this.#tryTicket = this.#tryQueue.add(this);
    }
  }

  requestData(chunk: Buffer): void {
    if (this.conn === undefined) {
      this.#keep(chunk);
      if (this.#pendingBytes > this.#r.ctx.options.maxBufferedBytes) this.#r.stream.pauseRequest();
      return;
    }
    if (this.#replay !== undefined) this.#remember(chunk);
    this.#write(chunk);
  }

  #write(chunk: Buffer): void {
    const conn = this.conn!;
    if (conn.write(chunk) || this.#waitingDrain) return;
    this.#waitingDrain = true;
    this.#r.stream.pauseRequest();
    conn.onDrain(() => {
      this.#waitingDrain = false;
      this.#r.stream.resumeRequest();
    });
  }

  requestEnd(trailers: Buffer | undefined): void {
    this.#requestEnded = true;
    this.#trailers = trailers;
    if (this.conn !== undefined && this.#r.stream.hasBody) this.conn.end(trailers);
  }

  // ---- ClientResponseHandler: the attempt's connection reports here ----
  onResponseHead(head: MessageHead): void {
    this.responseHead = head;
    this.#cancelTryTimeout();
    this.#r.onResponseHead(head);
  }

  onResponseData(chunk: Buffer): void {
    this.#r.onResponseData(chunk);
  }

  onResponseEnd(trailers: Buffer | undefined): void {
    if (this.conn === undefined) return; // this attempt was abandoned (retry, timeout)
    this.#r.onResponseEnd(trailers);
  }

  onReadEnd(): void {
    this.#r.stream.flush();
  }

  onUpstreamReset(reason: UpstreamResetReason): void {
    this.#r.ctx.stats.inc(this.host.statsBase + H.requestRemoteReset);
    this.#r.onUpstreamReset(reason);
  }

  // ---- response forwarding (called by the DownstreamRequest once it keeps this answer) ----
  recordResponse(status: number): void {
    this.#r.ctx.stats.inc(this.host.statsBase + (status >= 500 ? H.responseFailed : H.responseSuccess));
  }

  forwardHead(head: MessageHead): void {
    const r = this.#r;
    this.recordResponse(head.status);
    r.vars.responseStarted();
    const framing = downstreamFraming(head, r.method, r.req.versionMinor);
    if (framing === 'eof') r.stream.closeAfterResponse();
    // a known status gets its standard reason phrase without reading the upstream's
    r.stream.respond(head.status, STATUS_TEXT[head.status] === undefined ? head.reason : '', downstreamHeaderLines(head, responseOverlay(r, head), false), framing);
  }

  forwardData(chunk: Buffer): void {
    const stream = this.#r.stream;
    if (stream.write(chunk)) return;
    const conn = this.conn;
    if (conn === undefined) return;
    conn.pauseReading();
    stream.onDrain(() => {
      // the connection may have moved on to another request meanwhile
      if (this.conn === conn && this.#active) conn.resumeReading();
    });
  }

  forwardEnd(trailers: Buffer | undefined): void {
    this.#r.stream.end(trailers);
    this.finish(true);
  }

  /** Local reset: the connection is closed, never reused. */
  abort(): void {
    const conn = this.conn;
    this.conn = undefined;
    conn?.abort();
    if (this.#active) this.#r.ctx.stats.inc(this.host.statsBase + H.requestLocalReset);
    this.finish(false);
  }

  /** TimeoutTarget: no response head within the per-try timeout. */
  onTimeout(): void {
    this.#tryQueue = undefined;
    this.#r.onTryTimeout();
  }

  #cancelTryTimeout(): void {
    this.#tryQueue?.cancel(this.#tryTicket);
    this.#tryQueue = undefined;
  }

  /** The attempt is over: host counts and the latency histogram. */
  finish(completed: boolean): void {
    this.#cancelTryTimeout();
    if (!this.#active) return;
    this.#active = false;
    const ctx = this.#r.ctx;
    ctx.counters.decrement(this.host.activeRequestsSlot);
    if (completed) ctx.stats.observe(this.host.statsBase + H.requestDuration, REQUEST_BUCKETS, (performance.now() - this.#t0) / 1000);
  }
}
