// Every metric mosn-ts exports, with MOSN's names (reference/mosn.md §8.1; counters carry the
// Prometheus `_total` suffix). Listener metrics also appear summed with `proxy="global"` and host
// metrics summed per cluster, the two label sets MOSN exports.
import { counter, defineScope, defineSharedGauges, gauge, histogram } from './define.ts';

/** Connection lifetimes, seconds. */
export const CONNECTION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] as const;
/** Request latencies, seconds. */
export const REQUEST_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
] as const;

export const listenerScope = defineScope(['listener'], {
  connectionTotal: counter('downstream_connection_total', 'Downstream connections accepted'),
  connectionDestroy: counter('downstream_connection_destroy_total', 'Downstream connections closed'),
  connectionActive: gauge('downstream_connection_active', 'Downstream connections open now'),
  connectionDuration: histogram('downstream_connection_duration_seconds', 'Downstream connection lifetime', CONNECTION_BUCKETS),
  connectionIdleTimeout: counter('downstream_connection_idle_timeout_total', 'Downstream connections closed for being idle'),
  connectionReset: counter('downstream_connection_reset_total', 'Downstream connections reset by the peer'),
  bytesRead: counter('downstream_bytes_read_total', 'Bytes read from downstream connections'),
  bytesWrite: counter('downstream_bytes_write_total', 'Bytes written to downstream connections'),
  protocolError: counter('downstream_protocol_error_total', 'Downstream connections or requests rejected for bad bytes'),
  requestTotal: counter('downstream_request_total', 'Downstream requests received'),
  requestActive: gauge('downstream_request_active', 'Downstream requests in flight'),
  requestDuration: histogram('downstream_request_duration_seconds', 'Downstream request time, first byte in to last byte out', REQUEST_BUCKETS),
  requestReset: counter('downstream_request_reset_total', 'Downstream requests reset before completion'),
  requestFailed: counter('downstream_request_failed_total', 'Downstream requests answered by the proxy with an error'),
  response1xx: counter('downstream_response_1xx_total', 'Responses sent with a 1xx status'),
  response2xx: counter('downstream_response_2xx_total', 'Responses sent with a 2xx status'),
  response3xx: counter('downstream_response_3xx_total', 'Responses sent with a 3xx status'),
  response4xx: counter('downstream_response_4xx_total', 'Responses sent with a 4xx status'),
  response5xx: counter('downstream_response_5xx_total', 'Responses sent with a 5xx status'),
  headerTimeout: counter('downstream_request_header_timeout_total', 'Requests whose headers did not arrive in time'),
  heartbeat: counter('downstream_heartbeat_total', 'RPC heartbeats answered by the proxy'),
});

export const clusterScope = defineScope(['cluster'], {
  connectionOverflow: counter('upstream_connection_overflow_total', 'Upstream connections refused by circuit_breakers.max_connections'),
  noHealthyHost: counter('upstream_connection_none_healthy_total', 'Picks that found no healthy host'),
  requestPendingOverflow: counter('upstream_request_pending_overflow_total', 'Requests refused by max_requests or max_pending_requests'),
  requestRetry: counter('upstream_request_retry_total', 'Request retries'),
  requestRetryOverflow: counter('upstream_request_retry_overflow_total', 'Retries refused by circuit_breakers.max_retries'),
});

export const hostScope = defineScope(['cluster', 'host'], {
  connectionTotal: counter('upstream_connection_total', 'Upstream connections opened'),
  connectionClose: counter('upstream_connection_close_total', 'Upstream connections closed'),
  connectionConFail: counter('upstream_connection_con_fail_total', 'Upstream connection attempts that failed'),
  connectionConnectTimeout: counter('upstream_connection_connect_timeout_total', 'Upstream connection attempts that timed out'),
  connectionRemoteClose: counter('upstream_connection_remote_close_total', 'Upstream connections closed by the upstream'),
  connectionLocalClose: counter('upstream_connection_local_close_total', 'Upstream connections closed by the proxy'),
  connectionDuration: histogram('upstream_connection_duration_seconds', 'Upstream connection lifetime', CONNECTION_BUCKETS),
  bytesRead: counter('upstream_connection_bytes_read_total', 'Bytes read from upstream connections'),
  bytesWrite: counter('upstream_connection_bytes_write_total', 'Bytes written to upstream connections'),
  requestTotal: counter('upstream_request_total', 'Requests sent upstream'),
  requestDuration: histogram('upstream_request_duration_seconds', 'Upstream request time, sent to response complete', REQUEST_BUCKETS),
  requestTimeout: counter('upstream_request_timeout_total', 'Upstream requests that timed out'),
  requestLocalReset: counter('upstream_request_local_reset_total', 'Upstream requests reset by the proxy'),
  requestRemoteReset: counter('upstream_request_remote_reset_total', 'Upstream requests reset by the upstream'),
  responseSuccess: counter('upstream_response_success_total', 'Upstream responses below 500'),
  responseFailed: counter('upstream_response_failed_total', 'Upstream responses of 500 and above'),
});

/** Process-wide state per cluster (exact across workers). */
export const clusterShared = defineSharedGauges({
  activeConnections: null,
  activeRequests: null,
  pendingRequests: null,
  activeRetries: null,
});

/** Process-wide state per host (exact across workers); exported as gauges. */
export const hostShared = defineSharedGauges({
  activeConnections: gauge('upstream_connection_active', 'Upstream connections open now'),
  activeRequests: gauge('upstream_request_active', 'Upstream requests in flight'),
});
