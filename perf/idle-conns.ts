// Opens `--count` HTTP/1.1 keep-alive connections to 127.0.0.1:`--port`, `--batch` at a time,
// sends one GET on each, waits for its whole answer, and then holds every connection open
// without sending anything more, until SIGTERM or `--hold` seconds. Prints
//   READY <open> <failed>
// once all are opened (perf/parts/idle.sh measures the proxy's RSS then).
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    count: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '200' },
    hold: { type: 'string', default: '300' },
  },
});
const port = Number(values.port);
const count = Number(values.count);
const batch = Number(values.batch);
if (!Number.isInteger(port) || port <= 0) throw new Error('--port <n> is required');

const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');
const held: Socket[] = [];
let failed = 0;

/** Resolves true once a whole response (headers + Content-Length body) came back. */
function openOne(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let received = '';
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      if (ok) held.push(socket);
      else socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(10_000, () => done(false));
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (received.length >= end + 4 + length) {
        socket.setTimeout(0);
        done(received.startsWith('HTTP/1.1 200'));
      }
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

for (let opened = 0; opened < count; opened += batch) {
  const results = await Promise.all(Array.from({ length: Math.min(batch, count - opened) }, openOne));
  failed += results.filter((ok) => !ok).length;
}
let closedLater = 0;
for (const socket of held) socket.on('close', () => closedLater++);
console.log(`READY ${held.length} ${failed}`);

const stop = (): void => {
  console.log(`CLOSED_WHILE_HELD ${closedLater}`);
  for (const socket of held) socket.destroy();
  process.exit(0);
};
process.on('SIGTERM', stop);
setTimeout(stop, Number(values.hold) * 1000);
