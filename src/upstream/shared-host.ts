// A cluster host whose live counts are process-wide (shared memory) and whose metrics go to its
// block in the stats region.
import type { HostSlots } from '../api/metrics.ts';
import type { UpstreamHost } from '../api/cluster.ts';
import type { HostConfig } from '../config/types.ts';
import { hostShared } from '../metrics/catalog.ts';
import type { UpstreamCounters } from '../shared/upstream-counters.ts';

export class SharedHost implements UpstreamHost {
  readonly address: string;
  readonly ip: string;
  readonly port: number;
  readonly index: number;
  readonly weight: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly cluster: string;
  /** base of this host's block in the stats region */
  readonly statsBase: number;
  /** slot of the process-wide active request / connection counts */
  readonly activeRequestsSlot: number;
  readonly activeConnectionsSlot: number;
  readonly #counters: UpstreamCounters;

  constructor(cluster: string, config: HostConfig, index: number, slots: HostSlots, counters: UpstreamCounters) {
    this.cluster = cluster;
    this.address = config.address;
    this.ip = config.ip;
    this.port = config.port;
    this.index = index;
    this.weight = config.weight;
    this.metadata = config.metadata;
    this.statsBase = slots.stats;
    this.activeRequestsSlot = slots.shared + hostShared.offset.activeRequests;
    this.activeConnectionsSlot = slots.shared + hostShared.offset.activeConnections;
    this.#counters = counters;
  }

  healthy(): boolean {
    return true;
  }

  activeRequests(): number {
    return this.#counters.read(this.activeRequestsSlot);
  }

  activeConnections(): number {
    return this.#counters.read(this.activeConnectionsSlot);
  }
}
