// A small, lenient HTTP/1.1 response splitter for tests: turns the exact bytes a client got into
// responses (status, headers, de-chunked body, trailers). Independent of the proxy's codec.

export interface ParsedResponse {
  status: number;
  reason: string;
  /** the head as received (status line through the empty line), latin1 */
  head: string;
  /** lower-case name -> values in order */
  headers: Map<string, string[]>;
  body: Buffer;
  trailers: string;
  /** 1xx */
  interim: boolean;
  /** the body ends with the connection (no length, not chunked) */
  closeDelimited: boolean;
}

export function header(r: ParsedResponse, name: string): string | undefined {
  return r.headers.get(name)?.join(', ');
}

/**
 * Splits `data` into complete responses. `methods[i]` is the method of the i-th request (HEAD
 * answers have no body). A close-delimited body is returned only when `eof` is set.
 */
/** Header lines ("Name: value") by lower-case name, values in order; lines without a name are skipped. */
export function headerMap(lines: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const name = line.slice(0, c).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(c + 1).trim()]);
  }
  return headers;
}

export function parseResponses(data: Buffer, methods: string[] = [], eof = false): { responses: ParsedResponse[]; rest: Buffer } {
  const responses: ParsedResponse[] = [];
  let pos = 0;
  let finals = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const end = data.indexOf('\r\n\r\n', pos);
    if (end < 0) break;
    const head = data.subarray(pos, end + 4).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
    if (!m) break;
    const status = Number(m[1]);
    const headers = headerMap(lines.slice(1));
    const interim = status < 200;
    const method = interim ? undefined : methods[finals];
    let body: Buffer = Buffer.alloc(0);
    let trailers = '';
    let bodyEnd = end + 4;
    let closeDelimited = false;
    const te = headers.get('transfer-encoding')?.join(',').toLowerCase() ?? '';
    const cl = headers.get('content-length')?.[0];
    if (interim || status === 204 || status === 304 || method === 'HEAD') {
      // no body
    } else if (te.includes('chunked')) {
      const r = dechunkAt(data, bodyEnd);
      if (r === undefined) break;
      body = r.body;
      trailers = r.trailers;
      bodyEnd = r.end;
    } else if (cl !== undefined) {
      const n = Number(cl);
      if (data.length < bodyEnd + n) break;
      body = Buffer.from(data.subarray(bodyEnd, bodyEnd + n));
      bodyEnd += n;
    } else {
      if (!eof) break;
      closeDelimited = true;
      body = Buffer.from(data.subarray(bodyEnd));
      bodyEnd = data.length;
    }
    responses.push({ status, reason: m[2] ?? '', head, headers, body, trailers, interim, closeDelimited });
    if (!interim) finals++;
    pos = bodyEnd;
  }
  return { responses, rest: data.subarray(pos) };
}

/** A whole chunked body starting at buf[start]: its data, trailer lines, and the offset just past it. */
export function dechunkAt(buf: Buffer, start: number): { body: Buffer; trailers: string; end: number } | undefined {
  const parts: Buffer[] = [];
  let pos = start;
  for (let guard = 0; guard < 10_000_000; guard++) {
    const lineEnd = buf.indexOf('\r\n', pos);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.subarray(pos, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) return undefined;
    pos = lineEnd + 2;
    if (size === 0) {
      const end = buf.indexOf('\r\n\r\n', pos - 2);
      if (end < 0) return undefined;
      const trailers = buf.subarray(pos, end + 2).toString('latin1');
      return { body: Buffer.concat(parts), trailers: trailers === '\r\n' ? '' : trailers, end: end + 4 };
    }
    if (buf.length < pos + size + 2) return undefined;
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
  return undefined;
}
