// An upstream that never completes a TCP handshake, on loopback, for connect-timeout tests: a
// child process listens with backlog 1 and blocks its event loop, so it never accepts; two
// client connections fill the kernel's accept queue (Linux holds backlog + 1), after which new
// SYNs are dropped and a connect hangs until the caller's timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { within } from './wait.ts';

const CHILD = `
const net = require('node:net');
const fs = require('node:fs');
const s = net.createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  fs.writeSync(1, s.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

export interface StalledListener {
  port: number;
  close(): void;
}

export async function startStalledListener(): Promise<StalledListener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await within(
    'stalled listener start',
    10_000,
    new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      child.once('exit', (code) => reject(new Error(`stalled listener exited with ${code}`)));
    }),
  );
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.on('error', () => undefined);
    fillers.push(s);
    await within('accept queue filler connect', 5_000, new Promise((r) => s.once('connect', r)));
  }
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}
