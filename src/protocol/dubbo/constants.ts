// Dubbo wire constants (MOSN pkg/protocol/xprotocol/dubbo/types.go, Dubbo ExchangeCodec).

export const DUBBO_MAGIC_HIGH = 0xda;
export const DUBBO_MAGIC_LOW = 0xbb;
export const DUBBO_HEADER_LENGTH = 16;

export const DubboOffset = { flag: 2, status: 3, id: 4, bodyLength: 12 } as const;
export const DUBBO_ID_LENGTH = 8;

/** Bits of the flag byte; the low five bits are the serialization id. */
export const DubboFlag = { request: 0x80, twoWay: 0x40, event: 0x20, serializationMask: 0x1f } as const;

export const DUBBO_SERIALIZATION_HESSIAN2 = 2;

/** Response status byte (Dubbo Response, MOSN RespStatus*). */
export const DubboStatus = {
  ok: 20,
  clientTimeout: 30,
  serverTimeout: 31,
  badRequest: 40,
  badResponse: 50,
  serviceNotFound: 60,
  serviceError: 70,
  serverError: 80,
  clientError: 90,
  serverThreadpoolExhausted: 100,
} as const;

/** Routing headers MOSN extracts from a request body (dubbo/types.go). */
export const DubboHeader = {
  frameworkVersion: 'dubbo',
  service: 'service',
  version: 'version',
  method: 'method',
  group: 'group',
  interface: 'interface',
} as const;

/** Ids are uint64 on the wire; the proxy generates them below 2^53 so they stay exact numbers. */
export const DUBBO_MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;
