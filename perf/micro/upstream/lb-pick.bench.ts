// ns per chooseHost() for every built-in balancer over 8 hosts whose health and load live in a
// SharedArrayBuffer (read with Atomics.load, as the real Host does).
// Run: node perf/micro/upstream/lb-pick.bench.ts   (Node 24: node_modules/.bin/node)
import type { Host, LbContext, LbOptions } from '../../../src/api/upstream.ts';
import { builtinLoadBalancers } from '../../../src/upstream/lb/index.ts';

const HOSTS = 8;
/** LB=LB_MAGLEV measures one balancer alone (a monomorphic call site) */
const only = process.env.LB;
const WARMUP = 1_000_000;
const PICKS = 5_000_000;

/** slot 0: healthy flag, 1: active requests, 2: active connections */
const state = new Int32Array(new SharedArrayBuffer(HOSTS * 3 * 4));

class SabHost implements Host {
  readonly address: string;
  readonly ip: string;
  readonly port = 8080;
  readonly index: number;
  readonly weight: number;
  readonly metadata = {};
  readonly #base: number;
  constructor(index: number, weight: number) {
    this.index = index;
    this.weight = weight;
    this.ip = `10.0.0.${index + 1}`;
    this.address = `${this.ip}:8080`;
    this.#base = index * 3;
  }
  healthy(): boolean {
    return Atomics.load(state, this.#base) === 1;
  }
  activeRequests(): number {
    return Atomics.load(state, this.#base + 1);
  }
  activeConnections(): number {
    return Atomics.load(state, this.#base + 2);
  }
}

for (let i = 0; i < HOSTS; i++) {
  Atomics.store(state, i * 3, 1);
  Atomics.store(state, i * 3 + 1, i % 3);
  Atomics.store(state, i * 3 + 2, i % 2);
}

const contexts: LbContext[] = Array.from({ length: 4096 }, (_, i) => ({ hashKey: `192.168.${i >> 8}.${i & 255}` }));
const options: LbOptions = { choiceCount: 2, activeRequestBias: 1, random: Math.random };
const weightSets = { equal: () => 1, mixed: (i: number) => [1, 2, 4, 8, 16, 32, 64, 128][i]! };

const rows: Array<Record<string, string>> = [];
for (const [label, weightOf] of Object.entries(weightSets)) {
  const hosts = Array.from({ length: HOSTS }, (_, i) => new SabHost(i, weightOf(i)));
  for (const factory of builtinLoadBalancers.filter((f) => only === undefined || f.name === only)) {
    const t0 = process.hrtime.bigint();
    const lb = factory.create(hosts, options);
    const buildUs = Number(process.hrtime.bigint() - t0) / 1000;
    let sink = 0;
    for (let i = 0; i < WARMUP; i++) sink += lb.chooseHost(contexts[i & 4095])!.index;
    const start = process.hrtime.bigint();
    for (let i = 0; i < PICKS; i++) sink += lb.chooseHost(contexts[i & 4095])!.index;
    const ns = Number(process.hrtime.bigint() - start) / PICKS;
    // one host down: the skip path
    Atomics.store(state, 3 * 3, 0);
    const downStart = process.hrtime.bigint();
    for (let i = 0; i < PICKS; i++) sink += lb.chooseHost(contexts[i & 4095])!.index;
    const nsDown = Number(process.hrtime.bigint() - downStart) / PICKS;
    Atomics.store(state, 3 * 3, 1);
    rows.push({
      lb: factory.name,
      weights: label,
      'ns/pick': ns.toFixed(1),
      'ns/pick (1 of 8 down)': nsDown.toFixed(1),
      'create µs': buildUs.toFixed(0),
      sink: String(sink % 10),
    });
  }
}
console.log(`node ${process.version}, ${HOSTS} hosts, ${PICKS} picks each`);
console.table(rows.map(({ sink: _sink, ...row }) => row));
