// Byte classes and header kinds for the HTTP/1.1 codec (RFC 9110 §5.6.2 tokens, RFC 9112).

/** tchar: "!#$%&'*+-.^_`|~" DIGIT ALPHA */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** field-value bytes: VCHAR, obs-text, SP, HTAB (no CTLs, no NUL, no bare CR/LF) */
export const FIELD_VALUE = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) FIELD_VALUE[c] = 1;
for (let c = 0x80; c <= 0xff; c++) FIELD_VALUE[c] = 1;
FIELD_VALUE[0x09] = 1;

/** request-target bytes: visible ASCII and obs-text (raw UTF-8 in paths is common); no SP, no CTLs */
export const TARGET = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) TARGET[c] = 1;
for (let c = 0x80; c <= 0xff; c++) TARGET[c] = 1;

export const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;

/** Headers the codec and proxy act on; everything else is `other` and passes through. */
export const HeaderKind = {
  other: 0,
  contentLength: 1,
  transferEncoding: 2,
  connection: 3,
  host: 4,
  upgrade: 5,
  expect: 6,
  keepAlive: 7,
  proxyConnection: 8,
  te: 9,
  xForwardedFor: 10,
  xForwardedProto: 11,
  xRequestId: 12,
  via: 13,
  /** named in this message's Connection header: hop-by-hop */
  connectionListed: 14,
  trailer: 15,
  /** x-mosn-global-timeout / x-mosn-try-timeout (MOSN's per-request timeout overrides, ms) */
  mosnGlobalTimeout: 16,
  mosnTryTimeout: 17,
} as const;
export type HeaderKind = (typeof HeaderKind)[keyof typeof HeaderKind];

const KNOWN: ReadonlyArray<[string, HeaderKind]> = [
  ['content-length', HeaderKind.contentLength],
  ['transfer-encoding', HeaderKind.transferEncoding],
  ['connection', HeaderKind.connection],
  ['host', HeaderKind.host],
  ['upgrade', HeaderKind.upgrade],
  ['expect', HeaderKind.expect],
  ['keep-alive', HeaderKind.keepAlive],
  ['proxy-connection', HeaderKind.proxyConnection],
  ['te', HeaderKind.te],
  ['x-forwarded-for', HeaderKind.xForwardedFor],
  ['x-forwarded-proto', HeaderKind.xForwardedProto],
  ['x-request-id', HeaderKind.xRequestId],
  ['via', HeaderKind.via],
  ['trailer', HeaderKind.trailer],
  ['x-mosn-global-timeout', HeaderKind.mosnGlobalTimeout],
  ['x-mosn-try-timeout', HeaderKind.mosnTryTimeout],
];

/** Known names grouped by length, as lower-case bytes, for allocation-free matching. */
const BY_LENGTH: Array<Array<[Uint8Array, HeaderKind]>> = [];
for (const [name, kind] of KNOWN) {
  (BY_LENGTH[name.length] ??= []).push([Buffer.from(name, 'latin1'), kind]);
}

/** Kind of the header name at buf[start, end), compared case-insensitively without allocating. */
export function classifyHeader(buf: Buffer, start: number, end: number): HeaderKind {
  const candidates = BY_LENGTH[end - start];
  if (candidates === undefined) return HeaderKind.other;
  outer: for (let k = 0; k < candidates.length; k++) {
    const [lower, kind] = candidates[k]!;
    for (let i = 0; i < lower.length; i++) {
      if ((buf[start + i]! | 0x20) !== lower[i]) continue outer;
    }
    return kind;
  }
  return HeaderKind.other;
}

/** Case-insensitive equality of buf[start, end) with a lower-case ASCII string. */
export function equalsLower(buf: Buffer, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Methods whose requests are safe to repeat (RFC 9110 §9.2.2). */
export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export const STATUS_TEXT: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};
