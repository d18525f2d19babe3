// One proxied RPC request: route on the frame's headers (service, method, version, group …),
// circuit breakers, host, a multiplexed upstream connection, the frame forwarded with a new
// id, the response relayed with the downstream's id. Timeout: the frame's own (Bolt `timeout`),
// else the route's, else 60 s. Failures answer in the protocol's own error format.
import { performance } from 'node:perf_hooks';
import { MIN_CONNECT_ATTEMPTS, type Cluster, type UpstreamHost } from '../../api/cluster.ts';
import type { Route, RouteRequest } from '../../api/router.ts';
import type { RpcFrame } from '../../api/rpc-codec.ts';
import { ProxyStatus, ResponseFlag } from '../../api/status.ts';
import { CodecError } from '../../common/errors.ts';
import type { TimeoutQueue, TimeoutTarget } from '../../common/timeout-queue.ts';
import { clusterScope, hostScope, listenerScope, REQUEST_BUCKETS } from '../../metrics/catalog.ts';
import type { MultiplexWaiter } from '../../pool/multiplex-pool.ts';
import type { RpcClientConnection, RpcResponseSink, RpcUpstreamFailure } from '../../stream/xprotocol/client-connection.ts';
import type { RpcServerStream } from '../../stream/xprotocol/server-connection.ts';
import { flagNames } from '../http/failure.ts';
import type { RpcProxyContext } from './context.ts';

const L = listenerScope.offset;
const C = clusterScope.offset;
const H = hostScope.offset;

export class RpcRequest implements RouteRequest, RpcResponseSink, MultiplexWaiter, TimeoutTarget {
  // RouteRequest: RPC has no authority or path; routing is on headers
  readonly host = '';
  readonly method = '';
  readonly path = '';
  readonly #ctx: RpcProxyContext;
  readonly #stream: RpcServerStream;
  readonly #frame: RpcFrame;
  readonly #t0 = performance.now();
  readonly #startEpochMs = Date.now();
  #route: Route | undefined;
  #cluster: Cluster | undefined;
  #host: UpstreamHost | undefined;
  /** hosts tried so far, once a connect failure made it matter */
  #tried: UpstreamHost[] | undefined;
  #conn: RpcClientConnection | undefined;
  #id = 0;
  /** the armed timeout: its queue and ticket */
  #timeoutQueue: TimeoutQueue | undefined;
  #timeoutTicket = 0;
  #attemptT0 = 0;
  #holdsSlot = false;
  #hostActive = false;
  #done = false;
  #flags = 0;
  /** HTTP-like status for metrics (200 ok, 5xx …) */
  #code = 0;

  constructor(ctx: RpcProxyContext, stream: RpcServerStream) {
    this.#ctx = ctx;
    this.#stream = stream;
    this.#frame = stream.frame;
    const base = ctx.listener.statsBase;
    ctx.stats.inc(base + L.requestTotal);
    ctx.stats.inc(base + L.requestActive);
    this.#start();
  }

  header(name: string): string | undefined {
    return this.#frame.header(name);
  }

  #start(): void {
    let route: Route | undefined;
    try {
      route = this.#ctx.router.match(this);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      this.#ctx.stats.inc(this.#ctx.listener.statsBase + L.protocolError);
      return this.#fail(ProxyStatus.codecError, 0, 'codec exception');
    }
    this.#route = route;
    const choice = route?.cluster ?? route?.weightedClusters?.pick(Math.random());
    const cluster = choice === undefined ? undefined : this.#ctx.clusters.get(choice.name);
    if (cluster === undefined) return this.#fail(ProxyStatus.noRoute, ResponseFlag.noRouteFound, 'router unavailable');
    this.#cluster = cluster;
    if (!this.#ctx.counters.tryAcquire(cluster.slots.activeRequests, cluster.limits.maxRequests)) {
      this.#ctx.stats.inc(cluster.statsBase + C.requestPendingOverflow);
      return this.#fail(ProxyStatus.upstreamOverflow, ResponseFlag.upstreamOverflow, 'upstream overflow');
    }
    this.#holdsSlot = true;
    this.#attempt();
  }

  #attempt(): void {
    const host = this.#cluster!.chooseHost(undefined);
    if (host === undefined) return this.#fail(ProxyStatus.noHealthyUpstream, ResponseFlag.noHealthyUpstream, 'no healthy upstream');
    this.#use(host);
  }

  #use(host: UpstreamHost): void {
    this.#host = host;
    this.#ctx.pools.multiplex(this.#cluster!, host, this.#ctx.codec, this.#ctx.mux).acquire(this);
  }

  // ---- pool ----
  onMuxReady(conn: RpcClientConnection): void {
    if (this.#done) return;
    const host = this.#host!;
    const { stats, counters } = this.#ctx;
    stats.inc(host.statsBase + H.requestTotal);
    counters.increment(host.activeRequestsSlot);
    this.#hostActive = true;
    // the first attempt is usually served at once from a live connection: no second clock read
    this.#attemptT0 = this.#tried === undefined ? this.#t0 : performance.now();
    if (this.#frame.kind === 'oneway') {
      conn.send(this.#frame, undefined);
      this.#code = 200;
      this.#finish(undefined);
      return;
    }
    this.#conn = conn;
    this.#id = conn.send(this.#frame, this);
    const ms = this.#timeoutMs();
    if (ms > 0) {
      this.#timeoutQueue = this.#ctx.timeouts.get(ms);
      this.#timeoutTicket = this.#timeoutQueue.add(this, this.#attemptT0);
    }
  }

  onMuxFailure(): void {
    if (this.#done) return;
    const tried = (this.#tried ??= [this.#host!]);
    if (tried.length < MIN_CONNECT_ATTEMPTS) {
      // balancers return an already-tried host only when no other is healthy
      const next = this.#cluster!.chooseHost({ tried });
      if (next !== undefined && !tried.includes(next)) {
        tried.push(next);
        this.#ctx.stats.inc(this.#cluster!.statsBase + C.requestRetry);
        this.#use(next);
        return;
      }
    }
    this.#fail(ProxyStatus.noHealthyUpstream, ResponseFlag.upstreamConnectionFailure, 'upstream connect error');
  }

  /** Frame timeout (ms; 0 = use the route's; < 0 = none), then the route's, then the default. */
  #timeoutMs(): number {
    const t = this.#frame.timeoutMs;
    if (t > 0) return t;
    if (t < 0) return 0;
    return this.#route?.timeoutMs ?? this.#ctx.defaultTimeoutMs;
  }

  // ---- upstream answers ----
  onRpcResponse(response: RpcFrame): void {
    if (this.#done) return;
    const { stats, codec } = this.#ctx;
    const host = this.#host!;
    this.#code = codec.httpStatusOf(response);
    stats.inc(host.statsBase + (this.#code >= 500 ? H.responseFailed : H.responseSuccess));
    const now = performance.now();
    stats.observe(host.statsBase + H.requestDuration, REQUEST_BUCKETS, (now - this.#attemptT0) / 1000);
    this.#stream.respond(response);
    this.#finish(now);
  }

  onRpcFailure(reason: RpcUpstreamFailure): void {
    if (this.#done) return;
    this.#ctx.stats.inc(this.#host!.statsBase + H.requestRemoteReset);
    const flag = reason === 'protocol-error' ? ResponseFlag.upstreamProtocolError : ResponseFlag.upstreamRemoteReset;
    this.#fail(ProxyStatus.noHealthyUpstream, flag, 'upstream connection closed');
  }

  /** TimeoutTarget: the frame's or route's timeout passed with no answer. */
  onTimeout(): void {
    this.#timeoutQueue = undefined;
    if (this.#done) return;
    this.#conn?.cancel(this.#id);
    this.#ctx.stats.inc(this.#host!.statsBase + H.requestTimeout);
    this.#fail(ProxyStatus.timeout, ResponseFlag.upstreamRequestTimeout, 'upstream request timeout');
  }

  // ---- endings ----
  #fail(status: ProxyStatus, flag: number, message: string): void {
    if (this.#done) return;
    this.#flags |= flag;
    this.#code = status === ProxyStatus.codecError ? 400 : status;
    this.#ctx.stats.inc(this.#ctx.listener.statsBase + L.requestFailed);
    if (this.#frame.kind === 'request') this.#stream.respondError(status, message);
    this.#finish(undefined);
  }

  /** `now`: a clock reading the caller already took */
  #finish(now: number | undefined): void {
    this.#done = true;
    this.#timeoutQueue?.cancel(this.#timeoutTicket);
    const { stats, counters, listener } = this.#ctx;
    const base = listener.statsBase;
    stats.dec(base + L.requestActive);
    stats.observe(base + L.requestDuration, REQUEST_BUCKETS, ((now ?? performance.now()) - this.#t0) / 1000);
    const code = this.#code;
    stats.inc(base + (code < 300 ? L.response2xx : code < 500 ? L.response4xx : L.response5xx));
    if (this.#hostActive) counters.decrement(this.#host!.activeRequestsSlot);
    if (this.#holdsSlot) counters.decrement(this.#cluster!.slots.activeRequests);
    const logs = this.#ctx.accessLogs;
    for (let i = 0; i < logs.length; i++) logs[i]!.log(this);
  }

  /** Access log variables (MOSN names) for RPC. */
  variable(name: string): string | undefined {
    switch (name) {
      case 'start_time':
        return new Date(this.#startEpochMs).toISOString();
      case 'duration':
      case 'request_finished_duration':
        return `${(performance.now() - this.#t0).toFixed(3)}ms`;
      case 'protocol':
        return this.#ctx.codec.name;
      case 'response_code':
        return String(this.#code);
      case 'response_flag':
      case 'response_flags':
        return flagNames(this.#flags);
      case 'upstream_host':
        return this.#host?.address;
      case 'upstream_cluster':
        return this.#cluster?.name;
      case 'downstream_remote_address': {
        const s = this.#stream.conn.socket;
        return `${s.remoteAddress}:${s.remotePort}`;
      }
      case 'downstream_local_address': {
        const s = this.#stream.conn.socket;
        return `${s.localAddress}:${s.localPort}`;
      }
      case 'listener_name':
        return this.#ctx.listener.name;
    }
    if (name.startsWith('request_header_')) return this.#frame.header(name.slice(15));
    return undefined;
  }
}
