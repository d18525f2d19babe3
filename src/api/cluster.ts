// Clusters as the data plane uses them: pick a host, open a counted connection to it.
// Implemented in src/upstream/; filters and proxies see only this.
import type { Socket } from 'node:net';
import type { Host, LbContext } from './upstream.ts';

export type ConnectFailure = 'overflow' | 'timeout' | 'refused';

/** An open (or opening) upstream TCP connection whose lifetime is counted in the host's stats. */
export interface UpstreamConnection {
  readonly host: Host;
  readonly socket: Socket;
  /** Closes it from our side (counted as a local close). */
  close(): void;
}

export interface ConnectCallbacks {
  onConnect(conn: UpstreamConnection): void;
  onFailure(reason: ConnectFailure, error: Error | undefined): void;
}

export interface Cluster {
  readonly name: string;
  readonly connectTimeoutMs: number;
  /** Balancer pick among healthy hosts; undefined (and counted) when there is none. */
  chooseHost(ctx: LbContext | undefined): Host | undefined;
  /** Dials `host` unless circuit_breakers.max_connections is reached. Calls back exactly once. */
  connect(host: Host, callbacks: ConnectCallbacks): void;
}

export interface ClusterManager {
  get(name: string): Cluster | undefined;
}
