// Per-listener HTTP proxy settings (the `proxy` filter's extend_config.Http1, with defaults).
import type { Http1Limits } from '../../protocol/http1/decoder.ts';

export interface HttpProxyOptions {
  limits: Http1Limits;
  requestHeadersTimeoutMs: number;
  /** idle keep-alive downstream connections close after this; 0 = never */
  idleTimeoutMs: number;
  maxRequestsPerConnection: number;
  /** unread pipelined request bytes held per connection before reading pauses */
  maxBufferedBytes: number;
  /** append the client address to X-Forwarded-For */
  xForwardedFor: boolean;
  /** set X-Forwarded-Proto when the client did not */
  xForwardedProto: boolean;
  /** add x-request-id (a UUID) when the client did not */
  generateRequestId: boolean;
  /** Via value to add (RFC 9110 §7.6.3); '' = none */
  via: string;
  /** a route without `timeout` gets this (MOSN's 60 s); 0 = none */
  defaultRouteTimeoutMs: number;
  /** request body bytes kept to replay an idempotent request on retry */
  retryBufferBytes: number;
}

export const DEFAULT_HTTP_PROXY_OPTIONS: HttpProxyOptions = {
  limits: { maxHeaderBytes: 64 * 1024, maxHeaders: 100, maxRequestLine: 16 * 1024, maxBodyBytes: 0 },
  requestHeadersTimeoutMs: 10_000,
  idleTimeoutMs: 90_000,
  maxRequestsPerConnection: 0,
  maxBufferedBytes: 64 * 1024,
  xForwardedFor: true,
  xForwardedProto: true,
  generateRequestId: true,
  via: '',
  defaultRouteTimeoutMs: 60_000,
  retryBufferBytes: 64 * 1024,
};
