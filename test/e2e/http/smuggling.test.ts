// Strict request parsing (RFC 9112) on raw sockets, with an upstream that records every byte it
// receives: a rejected request is answered 400/501/505 and the connection closed, and nothing of
// it (let alone a smuggled second request) reaches the upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catchAll, httpProxyConfig } from '../../helpers/http-config.ts';
import { RecordingUpstream } from '../../helpers/http-peers.ts';
import { rawExchange } from '../../helpers/raw-http-client.ts';
import { freePort } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';

const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n';

/** Rejected as soon as the head is complete: nothing may reach the upstream. */
const HEAD_CASES: Array<[name: string, bytes: string, status: number]> = [
  ['CL + TE', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['TE + CL', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['duplicate CL, equal', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello${SMUGGLED}`, 400],
  ['duplicate CL, different', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 41\r\n\r\nhello${SMUGGLED}`, 400],
  ['CL as a comma list', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello`, 400],
  ['non-numeric CL', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n`, 400],
  ['signed CL', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello`, 400],
  ['negative CL', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n`, 400],
  ['hex CL', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello`, 400],
  ['CL beyond 2^53', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551621\r\n\r\nhello`, 400],
  ['empty CL', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n`, 400],
  ['TE "chunked, gzip" (chunked not final)', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n`, 400],
  ['TE "gzip, chunked" (unknown coding)', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`, 501],
  ['TE "identity"', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n`, 400],
  ['TE "xchunked"', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`, 400],
  ['TE twice', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
  ['TE with a vertical tab', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n`, 400],
  ['TE in HTTP/1.0', `POST /a HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
  ['space before the colon of TE', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello`, 400],
  ['space before a colon', `GET /a HTTP/1.1\r\nHost: a\r\nX-Foo : bar\r\n\r\n`, 400],
  ['non-token byte in a name', `GET /a HTTP/1.1\r\nHost: a\r\nX(Foo): bar\r\n\r\n`, 400],
  ['control byte in a name', `GET /a HTTP/1.1\r\nHost: a\r\nX\x01Foo: bar\r\n\r\n`, 400],
  ['empty name', `GET /a HTTP/1.1\r\nHost: a\r\n: bar\r\n\r\n`, 400],
  ['leading space on the first header (obs-fold)', `GET /a HTTP/1.1\r\n Host: a\r\n\r\n`, 400],
  ['obs-fold', `GET /a HTTP/1.1\r\nHost: a\r\nX-Foo: bar\r\n baz\r\n\r\n`, 400],
  ['obs-fold hiding TE', `POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Foo: bar\r\n\tTransfer-Encoding: chunked\r\n\r\nhello`, 400],
  ['NUL in a value', `GET /a HTTP/1.1\r\nHost: a\r\nX-Foo: b\x00r\r\n\r\n`, 400],
  ['bare CR in a value', `GET /a HTTP/1.1\r\nHost: a\r\nX-Foo: b\rar\r\n\r\n`, 400],
  ['bare CR in the request line', `GET /a\r HTTP/1.1\r\nHost: a\r\n\r\n`, 400],
  ['bare LF line endings', `GET /a HTTP/1.1\nHost: a\n\n`, 400],
  ['bare LF hiding a header', `POST /a HTTP/1.1\r\nHost: a\r\nX-Foo: bar\nContent-Length: 5\r\n\r\nhello${SMUGGLED}`, 400],
  ['no Host in HTTP/1.1', `GET /a HTTP/1.1\r\nX-Foo: bar\r\n\r\n`, 400],
  ['two Hosts', `GET /a HTTP/1.1\r\nHost: a\r\nHost: evil\r\n\r\n`, 400],
  ['space inside the target', `GET /a b HTTP/1.1\r\nHost: a\r\n\r\n`, 400],
  ['lower-case version', `GET /a http/1.1\r\nHost: a\r\n\r\n`, 400],
  ['HTTP/0.9 style request line', `GET /a\r\n\r\n`, 400],
  ['HTTP/1.2', `GET /a HTTP/1.2\r\nHost: a\r\n\r\n`, 505],
  ['HTTP/2.0 on an HTTP/1 listener', `GET /a HTTP/2.0\r\nHost: a\r\n\r\n`, 505],
  ['unsupported Expect', `GET /a HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n`, 417],
];

/** Rejected in the body: the legitimate head may have left, but never a second request. */
const BODY_CASES: Array<[name: string, bytes: string]> = [
  ['negative chunk size', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['chunk size beyond 2^53', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n20000000000001\r\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['chunk size that overflows 64 bits', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['chunk size with a leading space', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['chunk size line ended by a bare LF', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['chunk data longer than its size', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n${SMUGGLED}`],
  ['bare LF after the last chunk', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\n\n${SMUGGLED}`],
  ['obs-fold in trailers', `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n${SMUGGLED}`],
];

describe('strict request parsing and smuggling', () => {
  let up: RecordingUpstream;
  let proxy: ProxyProcess;
  let port: number;

  beforeAll(async () => {
    up = await RecordingUpstream.start();
    port = await freePort();
    proxy = await ProxyProcess.start(httpProxyConfig({ listenPort: port, clusters: [{ name: 'rec', hosts: [up.port] }], virtualHosts: catchAll('rec') }));
  });

  afterAll(async () => {
    await proxy?.stop();
    await up?.close();
  });

  beforeEach(async () => {
    // a warm pooled upstream connection: the worst case (a request could go out at once)
    const warm = await rawExchange(port, 'GET /warm HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
    expect(warm.responses[0]!.status).toBe(200);
    await up.waitFor(() => up.requests.length > 0);
    up.reset();
  });

  for (const [name, bytes, status] of HEAD_CASES) {
    it(`${name} -> ${status}, closed, nothing upstream`, async () => {
      const r = await rawExchange(port, bytes, { waitClose: true });
      expect(r.text.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(r.responses).toHaveLength(1);
      expect(r.responses[0]!.headers.get('connection')).toEqual(['close']);
      expect(r.closed).toBe(true);
      // a request that follows on a new connection still works, so the rejected bytes went nowhere
      const next = await rawExchange(port, 'GET /after HTTP/1.1\r\nHost: a\r\n\r\n', { expectResponses: 1, waitClose: false });
      expect(next.responses[0]!.status).toBe(200);
      await up.waitFor(() => up.requests.length === 1);
      expect(up.requests.map((q) => q.target)).toEqual(['/after']);
      expect(up.allText()).not.toContain('/smuggled');
      expect(up.allText().startsWith('GET /after HTTP/1.1\r\n')).toBe(true);
    });
  }

  for (const [name, bytes] of BODY_CASES) {
    it(`${name} -> 400, closed, no smuggled request, upstream connection dropped`, async () => {
      const r = await rawExchange(port, bytes, { waitClose: true });
      expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(r.closed).toBe(true);
      // whatever of the legitimate request left, its upstream connection was closed mid-request
      await up.waitFor(() => up.sockets.every((s, i) => s.destroyed || !up.received[i]!.includes('POST /a ')));
      expect(up.allText()).not.toContain('/smuggled');
      expect(up.requests).toHaveLength(0);
    });
  }

  it('a valid request then an invalid one in one write: 200, then 400, then close', async () => {
    const r = await rawExchange(port, `GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\nX-Bad : 1\r\n\r\n${SMUGGLED}`, { waitClose: true });
    expect(r.responses.map((x) => x.status)).toEqual([200, 400]);
    expect(r.closed).toBe(true);
    await up.waitFor(() => up.requests.length === 1);
    expect(up.requests.map((q) => q.target)).toEqual(['/first']);
    expect(up.allText()).not.toContain('/smuggled');
  });

  it('a CL body is forwarded exactly; bytes after it are the next request, parsed on their own', async () => {
    const r = await rawExchange(port, 'POST /cl HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /evil HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n', { waitClose: true });
    expect(r.responses.map((x) => x.status)).toEqual([200, 400]);
    await up.waitFor(() => up.requests.length === 1);
    expect(up.requests[0]!.body.toString()).toBe('hello');
    expect(up.allText()).not.toContain('/evil');
  });
});
