// How a proxied TCP connection ends: a FIN is passed on while the other direction keeps
// flowing, and an upstream that closes first does not cut what a slow client still has to read.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePorts } from '../helpers/ports.ts';
import { waitForSample } from '../helpers/prometheus.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { patternBytes, sha256 } from '../helpers/tcp-peers.ts';
import { within } from '../helpers/wait.ts';

const RESPONSE = patternBytes(4 << 20, 42);
const UPLOAD = patternBytes(3 << 20, 43);

/**
 * Upstream behaviours, chosen by the first connection's order:
 *  - 'response': writes RESPONSE and ends at once (closes as soon as the client's FIN arrives);
 *  - 'banner':   writes a banner and half-closes at once, then hashes what the client sends.
 */
let mode: 'response' | 'banner' = 'response';
let uploaded: ((r: { bytes: number; hash: string }) => void) | undefined;
let server: net.Server;
let proxy: ProxyProcess;
let listenPort: number;
let metricsPort: number;

beforeAll(async () => {
  server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => s.destroy());
    if (mode === 'response') {
      s.on('end', () => s.end());
      s.resume();
      s.write(RESPONSE);
      return;
    }
    const hash = createHash('sha256');
    let bytes = 0;
    s.on('data', (d: Buffer) => {
      bytes += d.length;
      hash.update(d);
    });
    s.on('end', () => {
      uploaded?.({ bytes, hash: hash.digest('hex') });
      s.destroy();
    });
    s.end('banner\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const serverPort = (server.address() as net.AddressInfo).port;
  [listenPort, metricsPort] = (await freePorts(2)) as [number, number];
  proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort, upstreamPorts: [serverPort], metricsPort }), { workers: 1 });
});

afterAll(async () => {
  await proxy?.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

/**
 * A client that half-closes at once and then reads slowly (one read per event-loop turn in paused
 * mode with a 4 KiB buffer), so the proxy's writes to it stay backpressured to the end.
 */
function slowReader(): Promise<{ bytes: number; hash: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    const c = net.connect({ port: listenPort, host: '127.0.0.1', allowHalfOpen: true, readableHighWaterMark: 4096 } as net.NetConnectOpts, () => c.end());
    const step = (): void => {
      const chunk = c.read() as Buffer | null;
      if (chunk) {
        bytes += chunk.length;
        hash.update(chunk);
      }
      if (!c.readableEnded && !c.destroyed) setImmediate(step);
    };
    c.pause();
    setImmediate(step);
    c.on('end', () => {
      resolve({ bytes, hash: hash.digest('hex') });
      c.destroy();
    });
    c.on('error', reject);
  });
}

describe('tcp_proxy connection end', () => {
  it('an upstream that writes and closes first: a slow client still gets every byte', async () => {
    mode = 'response';
    for (let i = 0; i < 2; i++) {
      const got = await within('slow read', 30_000, slowReader());
      expect(got.bytes).toBe(RESPONSE.length);
      expect(got.hash).toBe(sha256(RESPONSE));
    }
    await waitForSample(metricsPort, 'downstream_connection_active', { listener: 'tcp_in' }, (v) => v === 0);
  });

  it('an upstream half-close reaches the client, which can still upload', async () => {
    mode = 'banner';
    const upload = new Promise<{ bytes: number; hash: string }>((r) => (uploaded = r));
    const c = net.connect({ port: listenPort, host: '127.0.0.1', allowHalfOpen: true });
    let banner = '';
    c.on('data', (d: Buffer) => (banner += d.toString()));
    // the upstream's FIN arrives as 'end'; the client's direction is still open
    await within('upstream FIN passed on', 5_000, new Promise((r) => c.once('end', r)));
    expect(banner).toBe('banner\n');
    expect(c.writable).toBe(true);
    c.end(UPLOAD);
    const got = await within('upload after the half-close', 10_000, upload);
    expect(got).toEqual({ bytes: UPLOAD.length, hash: sha256(UPLOAD) });
    await within('client closed', 5_000, new Promise((r) => (c.closed ? r(undefined) : c.once('close', r))));
    await waitForSample(metricsPort, 'downstream_connection_active', { listener: 'tcp_in' }, (v) => v === 0);
  });
});
