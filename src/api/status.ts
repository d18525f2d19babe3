// MOSN's internal status codes (mosn.io/api): what went wrong in the proxy, independent of
// protocol. HTTP sends them as-is; RPC codecs translate them with their own mapping.
export const ProxyStatus = {
  codecError: 0,
  unknown: 2,
  deserialError: 3,
  success: 200,
  permissionDenied: 403,
  noRoute: 404,
  internalError: 500,
  noHealthyUpstream: 502,
  upstreamOverflow: 503,
  timeout: 504,
  limitExceeded: 509,
} as const;
export type ProxyStatus = (typeof ProxyStatus)[keyof typeof ProxyStatus];

// Response flags (mosn.io/api request.go bit values), shown in access logs as Envoy's short names.
export const ResponseFlag = {
  noHealthyUpstream: 0x2,
  upstreamRequestTimeout: 0x4,
  upstreamLocalReset: 0x8,
  upstreamRemoteReset: 0x10,
  upstreamConnectionFailure: 0x20,
  upstreamConnectionTermination: 0x40,
  upstreamOverflow: 0x80,
  noRouteFound: 0x100,
  delayInjected: 0x200,
  faultInjected: 0x400,
  rateLimited: 0x800,
  reqEntityTooLarge: 0x1000,
  downstreamTerminate: 0x2000,
  upstreamProtocolError: 0x4000,
  downstreamProtocolError: 0x8000,
  retryOverflow: 0x10000,
  retriesExhausted: 0x20000,
} as const;
export type ResponseFlag = (typeof ResponseFlag)[keyof typeof ResponseFlag];
