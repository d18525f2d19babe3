// Bolt v1 and Dubbo frames built and split by hand from the wire layouts (reference/mosn.md
// §2.5, §2.7), independent of src/protocol, for raw-socket tests.

export type WireProtocol = 'bolt' | 'dubbo';

export interface WireFrame {
  raw: Buffer;
  /** Bolt: type byte (0 response, 1 request, 2 oneway); Dubbo: flag byte */
  type: number;
  /** Bolt cmdcode; Dubbo: -1 */
  cmdCode: number;
  /** Bolt uint32; Dubbo low 53 bits */
  id: number;
  /** Bolt respstatus / Dubbo status byte (responses) */
  status: number;
  /** Bolt request timeout field (requests); 0 otherwise */
  timeout: number;
}

export const BOLT_SERVICE_CLASS = 'com.alipay.sofa.rpc.core.request.SofaRequest';

export interface BoltRequestFields {
  id: number;
  headers?: Record<string, string>;
  content?: Buffer;
  className?: string;
  /** ms; default 3000 */
  timeout?: number;
  type?: number;
  cmdCode?: number;
  /** replaces the encoded header map bytes (for malformed maps) */
  rawHeaderMap?: Buffer;
}

function headerMapBytes(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(headers)) {
    for (const s of [k, v]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** A Bolt v1 request: proto 1, type, cmdcode, ver2 1, id, codec 1 (hessian2), timeout, lengths. */
export function boltRequest(f: BoltRequestFields): Buffer {
  const cls = Buffer.from(f.className ?? BOLT_SERVICE_CLASS, 'latin1');
  const map = f.rawHeaderMap ?? headerMapBytes(f.headers ?? {});
  const content = f.content ?? Buffer.from('content');
  const h = Buffer.alloc(22);
  h[0] = 1;
  h[1] = f.type ?? 1;
  h.writeUInt16BE(f.cmdCode ?? 1, 2);
  h[4] = 1;
  h.writeUInt32BE(f.id, 5);
  h[9] = 1;
  h.writeInt32BE(f.timeout ?? 3000, 10);
  h.writeUInt16BE(cls.length, 14);
  h.writeUInt16BE(map.length, 16);
  h.writeUInt32BE(content.length, 18);
  return Buffer.concat([h, cls, map, content]);
}

/** A Bolt v1 heartbeat request as sofa-bolt sends it (cmdcode 0, timeout -1, no payload). */
export function boltHeartbeat(id: number): Buffer {
  const h = Buffer.alloc(22);
  h[0] = 1;
  h[1] = 1;
  h.writeUInt16BE(0, 2);
  h[4] = 1;
  h.writeUInt32BE(id, 5);
  h[9] = 1;
  h.writeInt32BE(-1, 10);
  return h;
}

/** A Bolt v1 response (status 0 unless given) echoing `content`. */
export function boltResponse(id: number, content: Buffer, status = 0, cmdCode = 2): Buffer {
  const cls = Buffer.from('com.alipay.sofa.rpc.core.response.SofaResponse', 'latin1');
  const h = Buffer.alloc(20);
  h[0] = 1;
  h[1] = 0;
  h.writeUInt16BE(cmdCode, 2);
  h[4] = 1;
  h.writeUInt32BE(id, 5);
  h[9] = 1;
  h.writeUInt16BE(status, 10);
  h.writeUInt16BE(cls.length, 12);
  h.writeUInt16BE(0, 14);
  h.writeUInt32BE(content.length, 16);
  return Buffer.concat([h, cls, content]);
}

/** MOSN's Bolt GoAway: a request-type frame with cmdcode 100 and id 0. */
export function boltGoAway(): Buffer {
  return boltRequest({ id: 0, cmdCode: 100, className: '', content: Buffer.alloc(0), timeout: -1 });
}

export const DUBBO_HESSIAN2 = 2;

export function dubboFrame(flag: number, status: number, id: number, body: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h[0] = 0xda;
  h[1] = 0xbb;
  h[2] = flag;
  h[3] = status;
  h.writeUInt32BE(Math.floor(id / 2 ** 32), 4);
  h.writeUInt32BE(id >>> 0, 8);
  h.writeUInt32BE(body.length, 12);
  return Buffer.concat([h, body]);
}

/** Dubbo's heartbeat: request | two-way | event | hessian2, body Hessian null. */
export function dubboHeartbeat(id: number): Buffer {
  return dubboFrame(0x80 | 0x40 | 0x20 | DUBBO_HESSIAN2, 0, id, Buffer.from('N'));
}

/** A Hessian 2 compact string (< 32 chars). */
function hessianShortString(s: string): Buffer {
  if (s.length >= 32) throw new RangeError('short strings only');
  return Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);
}

/**
 * A Dubbo two-way request body as Dubbo writes it: version, path, service version, method,
 * descriptor "" (no arguments), attachments map {path, interface, version[, group]}.
 */
export function dubboRequest(id: number, service: string, method: string, opts: { version?: string; group?: string } = {}): Buffer {
  const version = opts.version ?? '0.0.0';
  const attachments: Array<[string, string]> = [
    ['path', service],
    ['interface', service],
    ['version', version],
  ];
  if (opts.group) attachments.push(['group', opts.group]);
  const body = Buffer.concat([
    hessianShortString('2.0.2'),
    hessianShortString(service),
    hessianShortString(version),
    hessianShortString(method),
    hessianShortString(''),
    Buffer.from('H'),
    ...attachments.flatMap(([k, v]) => [hessianShortString(k), hessianShortString(v)]),
    Buffer.from('Z'),
  ]);
  return dubboFrame(0x80 | 0x40 | DUBBO_HESSIAN2, 0, id, body);
}

/** A Dubbo OK response carrying `value` as a short Hessian string (RESPONSE_VALUE = 1). */
export function dubboResponse(id: number, value: string): Buffer {
  return dubboFrame(DUBBO_HESSIAN2, 20, id, Buffer.concat([Buffer.from([0x91]), hessianShortString(value)]));
}

/** Splits `buf` into whole frames; returns them and the bytes left over. */
export function splitFrames(protocol: WireProtocol, buf: Buffer): { frames: WireFrame[]; rest: Buffer } {
  const frames: WireFrame[] = [];
  let at = 0;
  for (;;) {
    const left = buf.length - at;
    let length: number;
    if (protocol === 'bolt') {
      if (left < 2) break;
      const isResponse = buf[at + 1] === 0;
      const header = isResponse ? 20 : 22;
      if (left < header) break;
      const l = at + (isResponse ? 12 : 14);
      length = header + buf.readUInt16BE(l) + buf.readUInt16BE(l + 2) + buf.readUInt32BE(l + 4);
    } else {
      if (left < 16) break;
      length = 16 + buf.readUInt32BE(at + 12);
    }
    if (left < length) break;
    const raw = buf.subarray(at, at + length);
    frames.push(parseFrame(protocol, raw));
    at += length;
  }
  return { frames, rest: buf.subarray(at) };
}

function parseFrame(protocol: WireProtocol, raw: Buffer): WireFrame {
  if (protocol === 'bolt') {
    const type = raw[1]!;
    return {
      raw,
      type,
      cmdCode: raw.readUInt16BE(2),
      id: raw.readUInt32BE(5),
      status: type === 0 ? raw.readUInt16BE(10) : 0,
      timeout: type === 0 ? 0 : raw.readInt32BE(10),
    };
  }
  return { raw, type: raw[2]!, cmdCode: -1, id: raw.readUInt32BE(4) * 2 ** 32 + raw.readUInt32BE(8), status: raw[3]!, timeout: 0 };
}

/** The content bytes of a Bolt v1 request frame. */
export function boltContentOf(raw: Buffer): Buffer {
  const start = 22 + raw.readUInt16BE(14) + raw.readUInt16BE(16);
  return raw.subarray(start);
}
