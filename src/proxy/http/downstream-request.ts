// One proxied HTTP request, from its head to the end of its response (see README.md here for
// the sequence): route -> cluster -> circuit breakers -> host -> pooled upstream connection ->
// request forwarded with backpressure -> response forwarded with backpressure; retries, route
// and per-try timeouts, local replies with response flags, metrics and access log.
import type { Cluster, UpstreamHost } from '../../api/cluster.ts';
import type { Route, RouteRequest, VariableSource } from '../../api/router.ts';
import { ResponseFlag } from '../../api/status.ts';
import type { LbContext } from '../../api/upstream.ts';
import type { TimeoutQueue, TimeoutTarget } from '../../common/timeout-queue.ts';
import { clusterScope, hostScope, listenerScope, REQUEST_BUCKETS } from '../../metrics/catalog.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import type { PoolWaiter } from '../../pool/http1-pool.ts';
import { hashKeyOf } from '../../router/hash-key.ts';
import { redirectLocation } from '../../router/redirect.ts';
import type { Http1ClientConnection, UpstreamResetReason } from '../../stream/http1/client-connection.ts';
import type { ResetReason, ServerRequestHandler, ServerStreamApi } from '../../stream/http1/types.ts';
import type { HttpProxyContext } from './context.ts';
import { FAILURES, type FailureKind } from './failure.ts';
import { RequestVariables } from './request-variables.ts';
import { RETRY_BACKOFF_MS, RetryState, type AttemptFailure } from './retry-state.ts';
import { localReplyHeaderLines } from './route-headers.ts';
import { startConnectTunnel, startUpgradeTunnel } from './tunnel.ts';
import { UpstreamRequest } from './upstream-request.ts';

const L = listenerScope.offset;
const C = clusterScope.offset;
const H = hostScope.offset;

export class DownstreamRequest implements ServerRequestHandler, PoolWaiter, RouteRequest, VariableSource, LbContext, TimeoutTarget {
  readonly ctx: HttpProxyContext;
  readonly stream: ServerStreamApi;
  readonly req: MessageHead;
  readonly vars: RequestVariables;
  // RouteRequest
  readonly host: string;
  readonly method: string;
  readonly path: string;
  route: Route | undefined;
  cluster: Cluster | undefined;
  /** the current attempt's upstream */
  upstream: UpstreamRequest | undefined;
  responseFlags = 0;
  responseCode = 0;
  /** the upstream request head, built on the first attempt and re-sent by retries */
  upstreamHead: string | undefined;
  #retry: RetryState | undefined;
  #holdsRequestSlot = false;
  /** the armed route timeout: its queue (per duration, shared by the worker) and ticket */
  #timeoutQueue: TimeoutQueue | undefined;
  #timeoutTicket = 0;
  #done = false;
  /** a tunnel (WebSocket/CONNECT) now owns both sockets */
  tunneling = false;

  constructor(ctx: HttpProxyContext, stream: ServerStreamApi) {
    this.ctx = ctx;
    this.stream = stream;
    const req = stream.head;
    this.req = req;
    this.vars = new RequestVariables(this);
    this.method = req.method;
    const target = this.vars.target;
    this.host = target.authority ?? req.host;
    this.path = req.method === 'CONNECT' ? '/' : target.path;
    const base = ctx.listener.statsBase;
    ctx.stats.inc(base + L.requestTotal);
    ctx.stats.inc(base + L.requestActive);
    this.#start();
  }

  header(name: string): string | undefined {
    return this.req.get(name);
  }

  // LbContext: read by the balancer only when it needs them (LB_MAGLEV, retries)
  get hashKey(): string | undefined {
    const route = this.route;
    return route === undefined ? undefined : hashKeyOf(route.hashPolicy, this, this.stream.remoteAddress);
  }

  /** hosts tried by earlier attempts of this request */
  get tried(): readonly UpstreamHost[] | undefined {
    return this.upstream?.tried;
  }

  variable(name: string): string | undefined {
    return this.vars.get(name);
  }

  #start(): void {
    const route = this.ctx.router.match(this);
    this.route = route;
    if (route === undefined) return this.fail('no-route');
    if (route.directResponse !== undefined) {
      const d = route.directResponse;
      return this.localReply(d.status, d.body ?? '', undefined);
    }
    if (route.redirect !== undefined) {
      const { path, query } = this.vars.pathAndQuery();
      const location = redirectLocation(route.redirect, { scheme: 'http', host: this.req.host, path, query });
      return this.localReply(route.redirect.responseCode, '', `location: ${location}\r\n`);
    }
    const choice = route.cluster ?? route.weightedClusters?.pick(Math.random());
    const cluster = choice === undefined ? undefined : this.ctx.clusters.get(choice.name);
    if (cluster === undefined) return this.fail('no-healthy-host');
    this.cluster = cluster;
    if (!this.ctx.counters.tryAcquire(cluster.slots.activeRequests, cluster.limits.maxRequests)) {
      this.ctx.stats.inc(cluster.statsBase + C.requestPendingOverflow);
      return this.fail('overflow');
    }
    this.#holdsRequestSlot = true;
    this.#retry = new RetryState(route.retryPolicy, this.method);
    if (!this.stream.hasBody) this.#armRouteTimeout();
    if (this.method === 'CONNECT') return startConnectTunnel(this);
    this.#attempt();
  }

  /** One try at one host. */
  #attempt(): void {
    const cluster = this.cluster!;
    const host = cluster.chooseHost(this);
    if (host === undefined) return this.fail('no-healthy-host');
    this.#retry!.startAttempt();
    this.upstream = new UpstreamRequest(this, host, this.upstream);
    this.ctx.pools.http1(cluster, host).acquire(this);
  }

  // ---- pool ----
  onPoolReady(conn: Http1ClientConnection): void {
    const up = this.upstream;
    if (this.#done || up === undefined || up.conn !== undefined || this.tunneling) {
      this.ctx.pools.http1(this.cluster!, conn.upstream.host).putBack(conn);
      return;
    }
    up.start(conn, this.#retry!.perTryTimeoutMs);
  }

  onPoolFailure(reason: string): void {
    if (this.#done) return;
    this.upstream?.finish(false);
    if (reason === 'overflow' || reason === 'pending-overflow') {
      this.ctx.stats.inc(this.cluster!.statsBase + C.requestPendingOverflow);
      return this.fail('overflow');
    }
    this.#attemptFailed('connect-failure', false);
  }

  // ---- downstream request side ----
  onRequestData(chunk: Buffer): void {
    if (this.#done && this.upstream?.conn === undefined) return; // answered locally: drop the body
    this.upstream?.requestData(chunk);
  }

  onRequestEnd(trailers: Buffer | undefined): void {
    this.vars.requestReceived();
    if (this.stream.hasBody && !this.#done) this.#armRouteTimeout();
    this.upstream?.requestEnd(trailers);
  }

  onReset(reason: ResetReason): void {
    if (this.tunneling) return;
    this.upstream?.abort();
    if (!this.#done) {
      this.ctx.stats.inc(this.ctx.listener.statsBase + L.requestReset);
      this.responseFlags |= reason === 'protocol-error' ? ResponseFlag.downstreamProtocolError : ResponseFlag.downstreamTerminate;
      this.#finish();
    }
  }

  // ---- upstream response side (forwarded by UpstreamRequest) ----
  onResponseHead(head: MessageHead): void {
    const up = this.upstream!;
    if (head.status === 101 && this.req.upgrade) return startUpgradeTunnel(this, up, head);
    // A listed status is retried while attempts (and the retry budget) remain; otherwise this
    // answer is the reply (MOSN: the last attempt's response goes to the client as is).
    if (this.#retry!.retriesStatus(head.status) && this.#mayRetry('status', true, up.replayable)) {
      if (this.#takeRetryBudget()) {
        up.recordResponse(head.status);
        up.abort();
        return this.#scheduleRetry();
      }
      this.responseFlags |= FAILURES['retry-overflow'].flag;
    }
    this.responseCode = head.status;
    up.forwardHead(head);
  }

  onResponseData(chunk: Buffer): void {
    this.upstream?.forwardData(chunk);
  }

  onResponseEnd(trailers: Buffer | undefined): void {
    const up = this.upstream!;
    up.forwardEnd(trailers);
    this.#finish();
  }

  onUpstreamReset(reason: UpstreamResetReason): void {
    const up = this.upstream;
    if (this.#done || up === undefined) return;
    up.finish(false);
    // a head still held back (its first body bytes never came) can give way to a 502
    if (this.stream.responseStarted && !this.stream.retractResponse()) {
      // headers are out: the client must see a broken response, never one that looks complete
      this.responseFlags |= FAILURES[reason === 'protocol-error' ? 'upstream-protocol-error' : 'upstream-reset'].flag;
      this.stream.closeAfterResponse();
      this.#finish();
      this.ctx.stats.inc(this.ctx.listener.statsBase + L.requestReset);
      this.stream.reset();
      return;
    }
    if (reason === 'protocol-error') return this.fail('upstream-protocol-error');
    const kind: AttemptFailure = up.reusedConnection ? 'reused-connection-reset' : 'reset';
    if (!this.#attemptFailed(kind, up.sentBytes)) this.fail('upstream-reset');
  }

  /** Per-try timeout of the current attempt. */
  onTryTimeout(): void {
    const up = this.upstream;
    if (this.#done || up === undefined) return;
    this.ctx.stats.inc(up.host.statsBase + H.requestTimeout);
    up.abort();
    if (!this.#attemptFailed('per-try-timeout', up.sentBytes)) this.fail('timeout');
  }

  /** Tries again if the policy allows; false when the caller must give up. */
  #attemptFailed(kind: AttemptFailure, sent: boolean): boolean {
    if (!this.#mayRetry(kind, sent, this.upstream?.replayable ?? true)) {
      if (kind === 'connect-failure') this.fail('connect-failure');
      return false;
    }
    if (!this.#takeRetryBudget()) {
      this.fail(kind === 'connect-failure' ? 'connect-failure' : 'retry-overflow');
      return true;
    }
    this.#scheduleRetry();
    return true;
  }

  #mayRetry(kind: AttemptFailure, sent: boolean, replayable: boolean): boolean {
    return !this.stream.responseStarted && this.#retry!.shouldRetry(kind, sent, replayable);
  }

  /** circuit_breakers.max_retries, across workers; counts the retry or the overflow */
  #takeRetryBudget(): boolean {
    const cluster = this.cluster!;
    if (!this.ctx.counters.tryAcquire(cluster.slots.activeRetries, cluster.limits.maxRetries)) {
      this.ctx.stats.inc(cluster.statsBase + C.requestRetryOverflow);
      return false;
    }
    this.ctx.stats.inc(cluster.statsBase + C.requestRetry);
    return true;
  }

  #scheduleRetry(): void {
    const cluster = this.cluster!;
    setTimeout(() => {
      this.ctx.counters.decrement(cluster.slots.activeRetries);
      if (!this.#done) this.#attempt();
    }, RETRY_BACKOFF_MS);
  }

  #armRouteTimeout(): void {
    const ms = this.vars.globalTimeoutMs(this.route?.timeoutMs ?? this.ctx.options.defaultRouteTimeoutMs);
    if (ms <= 0 || this.#timeoutQueue !== undefined) return;
    this.#timeoutQueue = this.ctx.timeouts.get(ms);
    this.#timeoutTicket = this.#timeoutQueue.add(this);
  }

  /** TimeoutTarget: the route's (or x-mosn-global-timeout's) timeout passed. */
  onTimeout(): void {
    this.#timeoutQueue = undefined;
    if (this.#done || this.tunneling) return;
    const up = this.upstream;
    if (up !== undefined) this.ctx.stats.inc(up.host.statsBase + H.requestTimeout);
    up?.abort();
    if (!this.stream.responseStarted) return this.fail('timeout');
    this.responseFlags |= FAILURES.timeout.flag;
    this.#finish();
    this.stream.reset();
  }

  // ---- endings ----
  fail(kind: FailureKind): void {
    const f = FAILURES[kind];
    this.responseFlags |= f.flag;
    this.ctx.stats.inc(this.ctx.listener.statsBase + L.requestFailed);
    this.localReply(f.status, f.body, undefined);
  }

  localReply(status: number, body: string, headerLines: string | undefined): void {
    if (this.#done) return;
    this.responseCode = status;
    if (this.route !== undefined && this.route.responseHeaderOps.length > 0) headerLines = (headerLines ?? '') + localReplyHeaderLines(this);
    this.stream.sendLocalReply(status, body, headerLines);
    this.#finish();
  }

  /** Tunnels call this when both sockets have closed. */
  tunnelClosed(): void {
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#timeoutQueue?.cancel(this.#timeoutTicket);
    // still queued for a connection (timed out, client gone): free the pending-request unit now
    const up = this.upstream;
    if (up !== undefined && up.conn === undefined && !this.tunneling) this.ctx.pools.http1(this.cluster!, up.host).cancel(this);
    const elapsedMs = this.vars.responseFinished();
    const { stats, listener } = this.ctx;
    const base = listener.statsBase;
    stats.dec(base + L.requestActive);
    stats.observe(base + L.requestDuration, REQUEST_BUCKETS, elapsedMs / 1000);
    const code = this.responseCode;
    if (code > 0) stats.inc(base + (code < 200 ? L.response1xx : code < 300 ? L.response2xx : code < 400 ? L.response3xx : code < 500 ? L.response4xx : L.response5xx));
    if (this.#holdsRequestSlot) {
      this.#holdsRequestSlot = false;
      this.ctx.counters.decrement(this.cluster!.slots.activeRequests);
    }
    const logs = this.ctx.accessLogs;
    for (let i = 0; i < logs.length; i++) logs[i]!.log(this);
  }

  get done(): boolean {
    return this.#done;
  }

  /** the host of the current attempt */
  get upstreamHost(): UpstreamHost | undefined {
    return this.upstream?.host;
  }
}
