// Real TCP peers for tests: an echo upstream that honours half-close, and a client that sends a
// payload, half-closes, and hashes what comes back.
import { createHash } from 'node:crypto';
import net from 'node:net';

export interface EchoServer {
  port: number;
  connections: number;
  close(): Promise<void>;
}

export async function startEchoServer(port = 0): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Deterministic, non-repeating-looking bytes. */
export function patternBytes(size: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Connects, writes `payload`, half-closes, and resolves with the hash and size of the reply. */
export function echoRoundTrip(port: number, payload: Buffer, timeoutMs = 30_000): Promise<{ bytes: number; hash: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => c.end(payload));
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`round trip of ${payload.length} bytes timed out after ${bytes} bytes`));
    }, timeoutMs);
    c.on('data', (d: Buffer) => {
      bytes += d.length;
      hash.update(d);
    });
    c.on('end', () => {
      clearTimeout(timer);
      c.destroy();
      resolve({ bytes, hash: hash.digest('hex') });
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
