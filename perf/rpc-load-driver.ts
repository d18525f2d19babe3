// The pipelined RPC load loop shared by perf/bolt-load.ts and perf/dubbo-load.ts: a few
// connections, each keeping a fixed number of requests in flight; every response is answered
// by a new request, sent in one write per 'data' event (so the generator stays cheap on its
// shared core). Prints one machine-readable line for perf/lib/measure.sh:
//   RESULT <rps> <p50 ms> <p99 ms> <errors> <completed>
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import type { RpcDecoder, RpcFrame } from '../src/api/rpc-codec.ts';

export interface RpcLoadProtocol {
  readonly name: string;
  /** one complete request frame; copies of it go out with only the id changed */
  readonly template: Buffer;
  /** writes request id `id` into the frame copy that starts at `buf[at]` */
  writeId(buf: Buffer, at: number, id: number): void;
  newDecoder(): RpcDecoder;
  /** the status of a successful response */
  readonly okStatus: number;
}

export interface RpcLoadOptions {
  port: number;
  connections: number;
  inflight: number;
  durationS: number;
}

/** Command line shared by both generators; `size` and `service` shape the template. */
export function parseLoadArgs(argv: string[], defaultService: string): RpcLoadOptions & { size: number; service: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      connections: { type: 'string', default: '4' },
      inflight: { type: 'string', default: '64' },
      duration: { type: 'string', default: '10' },
      size: { type: 'string', default: '1024' },
      service: { type: 'string', default: defaultService },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error('--port <n> is required');
  return {
    port,
    connections: Number(values.connections),
    inflight: Number(values.inflight),
    durationS: Number(values.duration),
    size: Number(values.size),
    service: values.service,
  };
}

/** Latency samples (ms), grown by doubling; percentiles by sorting once at the end. */
class Samples {
  #data = new Float64Array(1 << 16);
  #count = 0;

  add(ms: number): void {
    if (this.#count === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#count++] = ms;
  }

  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const sorted = this.#data.subarray(0, this.#count).sort();
    return sorted[Math.min(this.#count - 1, Math.floor((p / 100) * this.#count))]!;
  }
}

const ID_SLOTS = 1 << 16;

class LoadConnection {
  readonly #protocol: RpcLoadProtocol;
  readonly #run: LoadRun;
  readonly #socket: Socket;
  readonly #decoder: RpcDecoder;
  /** send time by id & (ID_SLOTS - 1); at most `inflight` ids are outstanding */
  readonly #sentAt = new Float64Array(ID_SLOTS);
  readonly #onFrame = (frame: RpcFrame): void => this.#response(frame);
  #nextId = 1;
  #answered = 0;
  outstanding = 0;

  constructor(protocol: RpcLoadProtocol, run: LoadRun, port: number) {
    this.#protocol = protocol;
    this.#run = run;
    this.#decoder = protocol.newDecoder();
    this.#socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.#socket.on('connect', () => this.#send(run.inflight));
    this.#socket.on('data', (chunk: Buffer) => this.#data(chunk));
    this.#socket.on('error', (err) => run.fail(`connection error: ${err.message}`));
    this.#socket.on('close', () => {
      if (run.stopped) return;
      run.fail(`connection closed by the peer with ${this.outstanding} requests in flight`);
      run.errors += this.outstanding;
      this.outstanding = 0;
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #send(count: number): void {
    const template = this.#protocol.template;
    const size = template.length;
    const out = Buffer.allocUnsafe(size * count);
    const now = performance.now();
    for (let i = 0; i < count; i++) {
      const id = this.#nextId;
      this.#nextId = id === 0x7fff_ffff ? 1 : id + 1;
      template.copy(out, i * size);
      this.#protocol.writeId(out, i * size, id);
      this.#sentAt[id & (ID_SLOTS - 1)] = now;
    }
    this.outstanding += count;
    this.#socket.write(out);
  }

  #data(chunk: Buffer): void {
    this.#answered = 0;
    try {
      this.#decoder.feed(chunk, this.#onFrame);
    } catch (err) {
      this.#run.fail(`bad bytes from the proxy: ${(err as Error).message}`);
      this.#socket.destroy();
      return;
    }
    if (this.#answered > 0 && !this.#run.stopped) this.#send(this.#answered);
  }

  #response(frame: RpcFrame): void {
    if (frame.kind !== 'response' || frame.heartbeat) return;
    this.outstanding--;
    this.#answered++;
    const run = this.#run;
    if (!run.measuring) return;
    if (frame.status !== this.#protocol.okStatus) {
      run.errors++;
      return;
    }
    run.completed++;
    run.samples.add(performance.now() - this.#sentAt[frame.requestId & (ID_SLOTS - 1)]!);
  }
}

class LoadRun {
  readonly inflight: number;
  readonly samples = new Samples();
  completed = 0;
  errors = 0;
  measuring = true;
  stopped = false;
  firstError: string | undefined;

  constructor(inflight: number) {
    this.inflight = inflight;
  }

  fail(reason: string): void {
    this.firstError ??= reason;
  }
}

/** Runs the load for `durationS` seconds and prints the RESULT line. Exits 1 when nothing came back. */
export async function runRpcLoad(protocol: RpcLoadProtocol, options: RpcLoadOptions): Promise<void> {
  const run = new LoadRun(options.inflight);
  const t0 = performance.now();
  const connections = Array.from({ length: options.connections }, () => new LoadConnection(protocol, run, options.port));
  await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
  run.measuring = false;
  run.stopped = true;
  const seconds = (performance.now() - t0) / 1000;
  for (const c of connections) c.close();
  const rps = run.completed / seconds;
  const p50 = run.samples.percentile(50);
  const p99 = run.samples.percentile(99);
  console.log(
    `${protocol.name}: ${run.completed} responses in ${seconds.toFixed(2)} s over ${options.connections} connections x ` +
      `${options.inflight} in flight, ${run.errors} errors${run.firstError ? ` (first: ${run.firstError})` : ''}`,
  );
  console.log(`RESULT ${rps.toFixed(0)} ${p50.toFixed(3)} ${p99.toFixed(3)} ${run.errors} ${run.completed}`);
  if (run.completed === 0) process.exitCode = 1;
}
