// Clusters as the data plane uses them: pick a host, open a counted connection to it, and the
// process-wide counters circuit breakers check. Implemented in src/upstream/.
import type { Socket } from 'node:net';
import type { Host, LbContext } from './upstream.ts';

export type ConnectFailure = 'overflow' | 'timeout' | 'refused';

/** MOSN tries at least this many hosts for a request whose connection fails (HTTP and RPC). */
export const MIN_CONNECT_ATTEMPTS = 3;

/** A host with the slots its metrics and live counts use in shared memory. */
export interface UpstreamHost extends Host {
  readonly cluster: string;
  /** base of the host's block in the stats region */
  readonly statsBase: number;
  /** process-wide active request count (least-request balancing) */
  readonly activeRequestsSlot: number;
}

/** An open (or opening) upstream TCP connection whose lifetime is counted in the host's stats. */
export interface UpstreamConnection {
  readonly host: UpstreamHost;
  readonly socket: Socket;
  /** Closes it from our side (counted as a local close). */
  close(): void;
}

export interface ConnectCallbacks {
  onConnect(conn: UpstreamConnection): void;
  onFailure(reason: ConnectFailure, error: Error | undefined): void;
}

/** circuit_breakers[0]; 0 = unlimited */
export interface CircuitBreakerLimits {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

/** Slots of the cluster's process-wide counts in the shared upstream region. */
export interface ClusterSlotsInUse {
  readonly activeConnections: number;
  readonly activeRequests: number;
  readonly pendingRequests: number;
  readonly activeRetries: number;
}

export interface Cluster {
  readonly name: string;
  readonly connectTimeoutMs: number;
  /** upstream connections idle this long are closed; 0 = never */
  readonly idleTimeoutMs: number;
  /** 0 = unlimited */
  readonly maxRequestsPerConnection: number;
  readonly limits: CircuitBreakerLimits;
  readonly slots: ClusterSlotsInUse;
  /** heartbeats on idle multiplexed RPC connections */
  readonly keepalive: { readonly intervalMs: number; readonly timeoutMs: number };
  /** base of the cluster's block in the stats region */
  readonly statsBase: number;
  /** Balancer pick among healthy hosts; undefined (and counted) when there is none. */
  chooseHost(ctx: LbContext | undefined): UpstreamHost | undefined;
  /**
   * Dials `host` unless circuit_breakers.max_connections is reached (multiplexed RPC pools pass
   * `limited: false`: for them max_connections is the number of connections per host, as in
   * MOSN). Calls back exactly once.
   */
  connect(host: UpstreamHost, callbacks: ConnectCallbacks, limited?: boolean): void;
}

export interface ClusterManager {
  get(name: string): Cluster | undefined;
}

/** Process-wide counters (shared memory), exact across worker threads. */
export interface SharedCounters {
  read(slot: number): number;
  increment(slot: number): void;
  decrement(slot: number): void;
  /** Takes one unit if fewer than `limit` are taken (0 = unlimited). */
  tryAcquire(slot: number, limit: number): boolean;
}
