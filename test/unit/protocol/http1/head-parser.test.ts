import { describe, expect, it } from 'vitest';
import { HeadParser } from '../../../../src/protocol/http1/head-parser.ts';
import type { MessageHead } from '../../../../src/protocol/http1/message-head.ts';

const LIMITS = { maxHeaderBytes: 64 * 1024, maxHeaders: 100, maxRequestLine: 16 * 1024 };

function headersOf(head: MessageHead): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < head.count; i++) out.push([head.nameAt(i), head.valueAt(i)]);
  return out;
}

/** Feeds `bytes` in pieces ending at `cuts`; returns the head and the offset past it in the last piece. */
function parseInPieces(parser: HeadParser, bytes: Buffer, cuts: number[]): MessageHead {
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const end = parser.feed(bytes.subarray(from, to), 0);
    if (end >= 0) return parser.take();
    from = to;
  }
  throw new Error('head not complete');
}

const REQUEST = Buffer.from(
  'POST /upload?x=1 HTTP/1.1\r\nHost: example.test\r\nX-Trace: abc\r\nContent-Length: 5\r\nAccept: */*\r\n\r\n',
);
const REQUEST_HEADERS: [string, string][] = [
  ['Host', 'example.test'],
  ['X-Trace', 'abc'],
  ['Content-Length', '5'],
  ['Accept', '*/*'],
];
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nServer: up\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');

describe('HeadParser', () => {
  it('gives the same head whatever byte the request is split at', () => {
    for (let cut = 1; cut < REQUEST.length; cut++) {
      const head = parseInPieces(new HeadParser(true, LIMITS), REQUEST, [cut]);
      expect(head.method).toBe('POST');
      expect(head.target).toBe('/upload?x=1');
      expect(head.contentLength).toBe(5);
      expect(headersOf(head)).toEqual(REQUEST_HEADERS);
    }
  });

  it('keeps each head apart when two parsers are fed byte by byte in turn', () => {
    // Offsets of an unfinished head survive another parser's work between two feeds.
    const request = new HeadParser(true, LIMITS);
    const response = new HeadParser(false, LIMITS);
    let req: MessageHead | undefined;
    let res: MessageHead | undefined;
    for (let i = 0; i < Math.max(REQUEST.length, RESPONSE.length); i++) {
      if (i < REQUEST.length && request.feed(REQUEST.subarray(i, i + 1), 0) >= 0) req = request.take();
      if (i < RESPONSE.length && response.feed(RESPONSE.subarray(i, i + 1), 0) >= 0) res = response.take();
    }
    expect(headersOf(req!)).toEqual(REQUEST_HEADERS);
    expect(res!.status).toBe(200);
    expect(res!.chunked).toBe(true);
    expect(headersOf(res!)).toEqual([
      ['Server', 'up'],
      ['Content-Type', 'text/plain'],
      ['Transfer-Encoding', 'chunked'],
    ]);
  });

  it('a completed head keeps its headers while the next one is parsed', () => {
    const parser = new HeadParser(true, LIMITS);
    const first = parseInPieces(parser, REQUEST, []);
    const second = parseInPieces(parser, Buffer.from('GET /b HTTP/1.1\r\nHost: other\r\nX-A: 1\r\nX-B: 2\r\n\r\n'), [20]);
    expect(headersOf(first)).toEqual(REQUEST_HEADERS);
    expect(headersOf(second)).toEqual([
      ['Host', 'other'],
      ['X-A', '1'],
      ['X-B', '2'],
    ]);
  });

  it('takes heads with more headers than the scratch array starts with', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `X-H${i}: v${i}\r\n`).join('');
    const bytes = Buffer.from(`GET / HTTP/1.1\r\nHost: h\r\n${lines}\r\n`);
    const head = parseInPieces(new HeadParser(true, LIMITS), bytes, [100, 700]);
    expect(head.count).toBe(61);
    expect(head.get('x-h59')).toBe('v59');
  });
});
