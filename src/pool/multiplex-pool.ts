// Multiplexed RPC connections to one host, in one worker (MOSN's connpool_multiplex): N
// connections (the cluster's max_connections, default 1), requests spread round robin, each
// connection carrying many requests at once. A connection that fails to connect is retried on a
// later request after a back-off (100 ms doubling to 5 s); a closed one is re-dialled lazily.
import type { Cluster, UpstreamHost } from '../api/cluster.ts';
import type { RpcCodec } from '../api/rpc-codec.ts';
import { RpcClientConnection, type RpcClientHooks, type RpcClientOptions } from '../stream/xprotocol/client-connection.ts';

export interface MultiplexWaiter {
  onMuxReady(conn: RpcClientConnection): void;
  onMuxFailure(): void;
}

interface Slot {
  conn: RpcClientConnection | undefined;
  connecting: boolean;
  waiters: MultiplexWaiter[];
  /** no new dial before this (performance.now()) */
  retryAt: number;
  backoffMs: number;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

export interface MultiplexPoolOptions {
  connections: number;
  client: RpcClientOptions;
  countRead(bytes: number): void;
  countWrite(bytes: number): void;
}

export class MultiplexPool {
  readonly #cluster: Cluster;
  readonly #host: UpstreamHost;
  readonly #codec: RpcCodec;
  readonly #opts: MultiplexPoolOptions;
  readonly #slots: Slot[];
  readonly #hooks: RpcClientHooks;
  #next = 0;

  constructor(cluster: Cluster, host: UpstreamHost, codec: RpcCodec, opts: MultiplexPoolOptions) {
    this.#cluster = cluster;
    this.#host = host;
    this.#codec = codec;
    this.#opts = opts;
    this.#slots = Array.from({ length: Math.max(1, opts.connections) }, () => ({
      conn: undefined,
      connecting: false,
      waiters: [],
      retryAt: 0,
      backoffMs: MIN_BACKOFF_MS,
    }));
    this.#hooks = {
      countRead: opts.countRead,
      countWrite: opts.countWrite,
      closed: (conn) => {
        for (const s of this.#slots) if (s.conn === conn) s.conn = undefined;
      },
    };
  }

  acquire(waiter: MultiplexWaiter): void {
    const n = this.#slots.length;
    for (let i = 0; i < n; i++) {
      const at = (this.#next + i) % n;
      const conn = this.#slots[at]!.conn;
      if (conn !== undefined && conn.usable) {
        this.#next = at + 1;
        waiter.onMuxReady(conn);
        return;
      }
    }
    const slot = this.#slots[this.#next++ % n]!;
    if (!slot.connecting && performance.now() < slot.retryAt) {
      waiter.onMuxFailure();
      return;
    }
    slot.waiters.push(waiter);
    if (!slot.connecting) this.#dial(slot);
  }

  #dial(slot: Slot): void {
    slot.connecting = true;
    this.#cluster.connect(
      this.#host,
      {
        onConnect: (upstream) => {
          slot.connecting = false;
          slot.backoffMs = MIN_BACKOFF_MS;
          slot.retryAt = 0;
          const conn = new RpcClientConnection(upstream, this.#codec, this.#opts.client, this.#hooks);
          slot.conn = conn;
          for (const w of slot.waiters.splice(0)) w.onMuxReady(conn);
        },
        onFailure: () => {
          slot.connecting = false;
          slot.retryAt = performance.now() + slot.backoffMs;
          slot.backoffMs = Math.min(slot.backoffMs * 2, MAX_BACKOFF_MS);
          for (const w of slot.waiters.splice(0)) w.onMuxFailure();
        },
      },
      false,
    );
  }
}
