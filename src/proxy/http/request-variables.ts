// Per-request facts that routing, header templates (%name%) and access logs read: the split
// target, timings, MOSN's timeout override headers, and MOSN's variable names.
import { HeaderKind } from '../../protocol/http1/constants.ts';
import { goDurationString, mosnTime } from '../access-log/format.ts';
import type { DownstreamRequest } from './downstream-request.ts';
import { flagNames } from './failure.ts';
import { splitTarget } from './upstream-head.ts';

export class RequestVariables {
  readonly #r: DownstreamRequest;
  readonly startEpochMs = Date.now();
  readonly #t0 = performance.now();
  #received = -1;
  #firstByte = -1;
  #finished = -1;
  readonly target: { authority: string | undefined; path: string; originForm: string };

  constructor(r: DownstreamRequest) {
    this.#r = r;
    const { authority, originForm } = splitTarget(r.req.target);
    const q = originForm.indexOf('?');
    this.target = { authority, originForm, path: q < 0 ? originForm : originForm.slice(0, q) };
  }

  elapsedMs(): number {
    return performance.now() - this.#t0;
  }

  requestReceived(): void {
    this.#received = this.elapsedMs();
  }

  responseStarted(): void {
    if (this.#firstByte < 0) this.#firstByte = this.elapsedMs();
  }

  /** Records the end of the response; returns the request's duration (ms). */
  responseFinished(): number {
    this.#finished = this.elapsedMs();
    return this.#finished;
  }

  pathAndQuery(): { path: string; query: string } {
    const t = this.target.originForm;
    const q = t.indexOf('?');
    return q < 0 ? { path: t, query: '' } : { path: t.slice(0, q), query: t.slice(q + 1) };
  }

  /** MOSN's x-mosn-global-timeout request header (ms) wins over the route's. */
  globalTimeoutMs(fallback: number): number {
    return this.#timeoutHeader(HeaderKind.mosnGlobalTimeout, 'x-mosn-global-timeout', fallback);
  }

  /** MOSN's x-mosn-try-timeout request header (ms) wins over retry_timeout. */
  tryTimeoutMs(fallback: number): number {
    return this.#timeoutHeader(HeaderKind.mosnTryTimeout, 'x-mosn-try-timeout', fallback);
  }

  /** The header's value in ms when valid; the parser has classified it, so absence costs no scan by name. */
  #timeoutHeader(kind: HeaderKind, name: string, fallback: number): number {
    const req = this.#r.req;
    if (req.indexOfKind(kind) < 0) return fallback;
    const v = Number(req.get(name));
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  }

  /** MOSN variable names (reference/mosn.md §8.4); undefined prints "-" / keeps template text. */
  get(name: string): string | undefined {
    const r = this.#r;
    const s = r.stream;
    switch (name) {
      case 'start_time':
        return mosnTime(this.startEpochMs);
      case 'request_received_duration':
        return this.#received < 0 ? undefined : goDurationString(this.#received);
      case 'response_received_duration':
        return this.#firstByte < 0 ? undefined : goDurationString(this.#firstByte);
      case 'request_finished_duration':
      case 'duration':
        return goDurationString(this.#finished < 0 ? this.elapsedMs() : this.#finished);
      case 'bytes_sent':
        return String(s.bytesSent);
      case 'bytes_received':
        return String(s.bytesReceived);
      case 'protocol':
        return 'Http1';
      case 'response_code':
        return String(r.responseCode);
      case 'response_flag':
      case 'response_flags':
        return flagNames(r.responseFlags);
      case 'upstream_host':
        return r.upstreamHost?.address;
      case 'upstream_cluster':
        return r.cluster?.name;
      case 'upstream_local_address':
        return r.upstream?.localAddress;
      case 'downstream_local_address':
        return `${s.localAddress}:${s.localPort}`;
      case 'downstream_remote_address':
        return `${s.remoteAddress}:${s.remotePort}`;
      case 'listener_name':
        return r.ctx.listener.name;
      case 'route_name':
        return r.route?.path;
      case 'x-mosn-host':
      case 'authority':
        return r.host;
      case 'x-mosn-method':
        return r.method;
      case 'x-mosn-path':
        return r.path;
      case 'x-mosn-path-original':
        return this.target.originForm;
      case 'x-mosn-querystring':
        return this.pathAndQuery().query;
      case 'x-mosn-scheme':
        return 'http';
    }
    if (name.startsWith('request_header_')) return r.req.get(name.slice(15).toLowerCase());
    if (name.startsWith('Http1_request_header_')) return r.req.get(name.slice(21).toLowerCase());
    if (name.startsWith('response_header_')) return r.upstream?.responseHead?.get(name.slice(16).toLowerCase());
    return undefined;
  }
}
