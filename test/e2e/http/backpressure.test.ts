// Bodies are streamed with backpressure both ways: 1 GiB up and 1 GiB down through the proxy
// with its resident memory bounded, bytes hashed at both ends; and a downstream reader that
// keeps pausing while a 1 GiB upstream body comes through.
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProxyConfig } from '../../helpers/http-config.ts';
import { startHttpUpstream, type HttpUpstream } from '../../helpers/http-peers.ts';
import { parseResponses } from '../../helpers/http-wire.ts';
import { freePort } from '../../helpers/ports.ts';
import { rssBytes, sampleRss } from '../../helpers/process-memory.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { patternBytes } from '../../helpers/tcp-peers.ts';
import { within } from '../../helpers/wait.ts';

const MiB = 1 << 20;
const TOTAL = 1024 * MiB;
/** the 1 MiB block every body repeats (a different seed per block index would cost CPU for nothing) */
const BLOCK = patternBytes(MiB, 42);
const EXPECTED = ((): string => {
  const h = createHash('sha256');
  for (let i = 0; i < TOTAL / MiB; i++) h.update(BLOCK);
  return h.digest('hex');
})();
const RSS_LIMIT = 150 * MiB;

/** Writes TOTAL bytes of BLOCKs to `out`, waiting for 'drain' whenever it is full; stops if it closes. */
async function writeBlocks(out: Writable, size = TOTAL): Promise<void> {
  for (let i = 0; i < size / MiB && !out.destroyed; i++) {
    if (out.write(BLOCK)) continue;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  }
}

describe('backpressure with 1 GiB bodies', () => {
  let up: HttpUpstream;
  let proxy: ProxyProcess;
  let port: number;

  beforeAll(async () => {
    up = await startHttpUpstream((req, res) => {
      if (req.method === 'POST') {
        const h = createHash('sha256');
        let n = 0;
        req.on('data', (d: Buffer) => {
          h.update(d);
          n += d.length;
        });
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ bytes: n, sha256: h.digest('hex') }));
        });
        return;
      }
      req.resume();
      const size = Number(new URL(req.url!, 'http://x').searchParams.get('size') ?? TOTAL);
      res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
      void writeBlocks(res, size).then(() => res.end());
    });
    port = await freePort();
    proxy = await ProxyProcess.start(httpProxyConfig({ listenPort: port, clusters: [{ name: 'big', hosts: [up.port] }], http1: { default_route_timeout: '120s' } }));
    // warm the proxy (JIT, pools) so the baseline is not its cold size
    for (let i = 0; i < 3; i++) await download(8 * MiB);
  });

  afterAll(async () => {
    await proxy?.stop();
    await up?.close();
  });

  /** GET through the proxy; optionally pauses reading for `pauseMs` after every `pauseEvery` bytes. */
  function download(limit = TOTAL, pauseEvery = 0, pauseMs = 0, size = TOTAL): Promise<{ bytes: number; sha256: string; status: number }> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/download?size=${size}`, agent: false }, (res) => {
        const h = createHash('sha256');
        let n = 0;
        let nextPause = pauseEvery;
        res.on('data', (d: Buffer) => {
          const take = Math.min(d.length, limit - n);
          h.update(take === d.length ? d : d.subarray(0, take));
          n += take;
          if (n >= limit && limit < size) {
            res.destroy();
            return resolve({ bytes: n, sha256: '', status: res.statusCode ?? 0 });
          }
          if (pauseEvery > 0 && n >= nextPause) {
            nextPause += pauseEvery;
            res.pause();
            setTimeout(() => res.resume(), pauseMs);
          }
        });
        res.on('end', () => resolve({ bytes: n, sha256: h.digest('hex'), status: res.statusCode ?? 0 }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }

  it('a response whose last write hit backpressure leaves its pooled upstream connection readable', async () => {
    // each download closes its client connection (agent: false) as soon as the body is in, so the
    // proxy's 'drain' for a full last write never comes; the next request reuses the upstream
    // connection that was paused for it
    for (let i = 0; i < 12; i++) {
      const r = await within(`download ${i}`, 10_000, download(32 * MiB, 0, 0, 32 * MiB));
      expect(r.bytes).toBe(32 * MiB);
    }
  });

  it('uploads 1 GiB (Content-Length) intact with bounded proxy memory', async () => {
    const base = rssBytes(proxy.pid);
    const sampler = sampleRss(proxy.pid);
    const t0 = performance.now();
    const result = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.write(`POST /upload HTTP/1.1\r\nHost: big\r\nContent-Length: ${TOTAL}\r\n\r\n`);
        void writeBlocks(s).catch(reject);
      });
      let got: Buffer = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        const [res] = parseResponses(got).responses;
        if (res === undefined) return;
        s.destroy();
        resolve(JSON.parse(res.body.toString()));
      });
      s.on('error', reject);
    });
    const peak = sampler.stop();
    console.log(`upload 1 GiB: ${((performance.now() - t0) / 1000).toFixed(1)} s, proxy RSS +${((peak - base) / MiB).toFixed(0)} MiB`);
    expect(result.bytes).toBe(TOTAL);
    expect(result.sha256).toBe(EXPECTED);
    expect(peak - base).toBeLessThan(RSS_LIMIT);
  });

  it('downloads 1 GiB intact with bounded proxy memory', async () => {
    const base = rssBytes(proxy.pid);
    const sampler = sampleRss(proxy.pid);
    const t0 = performance.now();
    const r = await download();
    const peak = sampler.stop();
    console.log(`download 1 GiB: ${((performance.now() - t0) / 1000).toFixed(1)} s, proxy RSS +${((peak - base) / MiB).toFixed(0)} MiB`);
    expect(r.status).toBe(200);
    expect(r.bytes).toBe(TOTAL);
    expect(r.sha256).toBe(EXPECTED);
    expect(peak - base).toBeLessThan(RSS_LIMIT);
  });

  it('a reader that keeps pausing does not make the proxy buffer the upstream body', async () => {
    const base = rssBytes(proxy.pid);
    const sampler = sampleRss(proxy.pid);
    const t0 = performance.now();
    // a 150 ms pause after every 64 MiB: 16 pauses, each long enough for an unbounded proxy
    // to pull hundreds of MiB from the upstream
    const r = await download(TOTAL, 64 * MiB, 150);
    const peak = sampler.stop();
    console.log(`slow reader 1 GiB: ${((performance.now() - t0) / 1000).toFixed(1)} s, proxy RSS +${((peak - base) / MiB).toFixed(0)} MiB`);
    expect(r.bytes).toBe(TOTAL);
    expect(r.sha256).toBe(EXPECTED);
    expect(peak - base).toBeLessThan(RSS_LIMIT);
  });
});
