// Network filters: what a listener runs on each accepted connection (MOSN's filter_chains[0].filters).
// A filter folder (src/filters/network/<name>/) provides a factory: parse config once at load,
// create a filter per listener in each worker, hand it every connection.
import type { Socket } from 'node:net';
import type { ClusterManager, SharedCounters } from './cluster.ts';
import type { ConfigNode } from './config-node.ts';
import type { Logger } from './logger.ts';
import type { Router, RouterConfig } from './router.ts';
import type { RpcCodec } from './rpc-codec.ts';
import type { StatsSink } from './stats.ts';

export interface ListenerInfo {
  readonly name: string;
  readonly type: 'ingress' | 'egress' | undefined;
  /** base of this listener's block in the stats region */
  readonly statsBase: number;
  /** listener `connection_idle_timeout`, 0 = none */
  readonly idleTimeoutMs: number;
}

/** One line per finished request in the listener's access log. */
export interface AccessLogSink {
  log(source: { variable(name: string): string | undefined }): void;
}

/** Objects shared by every filter of a worker (e.g. upstream pools), created on first use. */
export interface WorkerScope {
  get<T>(key: symbol, create: () => T): T;
}

/** What a filter may use at run time, built by the worker. */
export interface FilterEnv {
  readonly listener: ListenerInfo;
  readonly clusters: ClusterManager;
  readonly stats: StatsSink;
  readonly counters: SharedCounters;
  readonly logger: Logger;
  /** compiled routers of the snapshot, by router_config_name */
  readonly routers: ReadonlyMap<string, Router>;
  readonly accessLogs: readonly AccessLogSink[];
  readonly scope: WorkerScope;
  /** the built-in RPC codecs, by protocol name (bolt, boltv2, dubbo) */
  readonly rpcCodecs: ReadonlyMap<string, RpcCodec>;
  /** how to close a connection gracefully when the worker drains (default: let it finish) */
  onDrain(socket: Socket, close: () => void): void;
}

export interface NetworkFilter {
  /**
   * Takes over a downstream connection. `head` holds bytes already read from it (by protocol
   * detection in a filter before this one); they come before anything the socket emits.
   * The socket is paused; the filter resumes it.
   */
  onConnection(socket: Socket, head: Buffer | undefined): void;
}

/** Chains a filter to the one after it (proxy's fallback_for_unknown_protocol -> tcp_proxy). */
export type NextFilter = ((socket: Socket, head: Buffer | undefined) => void) | undefined;

export interface NetworkFilterFactory<C = unknown> {
  /** the `type` in the config */
  readonly name: string;
  /** Parses and validates `config` once, on the main thread. Result must be plain data. */
  parseConfig(node: ConfigNode): C;
  /** Builds the filter for one listener in one worker. */
  create(config: C, env: FilterEnv, next: NextFilter): NetworkFilter;
  /** A router configuration this filter declares inline (MOSN's deprecated connection_manager). */
  routerOf?(config: C): RouterConfig | undefined;
}
