// One listener inside one worker: its network filter chain, built from the snapshot, and the
// entry point for every accepted socket (handed over by the main thread or accepted here).
import type { Socket } from 'node:net';
import type { FilterEnv, NetworkFilter, NetworkFilterFactory, NextFilter } from '../api/filter.ts';
import type { ListenerConfig } from '../config/types.ts';
import type { ConnectionTracker } from '../network/connection-tracker.ts';
import { readThroughSharedBuffer } from '../network/shared-read-buffer.ts';

export class ListenerRuntime {
  readonly config: ListenerConfig;
  readonly #first: NetworkFilter;
  readonly #tracker: ConnectionTracker;
  readonly #statsBase: number;

  constructor(
    config: ListenerConfig,
    statsBase: number,
    factories: ReadonlyMap<string, NetworkFilterFactory>,
    env: Omit<FilterEnv, 'listener'>,
    tracker: ConnectionTracker,
  ) {
    this.config = config;
    this.#tracker = tracker;
    this.#statsBase = statsBase;
    const fenv: FilterEnv = {
      ...env,
      listener: { name: config.name, type: config.type, statsBase, idleTimeoutMs: config.connectionIdleTimeoutMs },
    };
    // Build from the last filter backwards so each can hand a connection to the next.
    let next: NextFilter;
    let first: NetworkFilter | undefined;
    for (let i = config.networkFilters.length - 1; i >= 0; i--) {
      const f = config.networkFilters[i]!;
      const factory = factories.get(f.type);
      if (!factory) throw new Error(`${f.path}: no network filter "${f.type}" in this worker`);
      const filter = factory.create(f.config, fenv, next);
      next = (socket, head) => filter.onConnection(socket, head);
      first = filter;
    }
    this.#first = first!;
  }

  accept(accepted: Socket): void {
    if (this.#tracker.draining) {
      accepted.destroy();
      return;
    }
    const socket = readThroughSharedBuffer(accepted);
    socket.setNoDelay(true);
    this.#tracker.track(socket, this.#statsBase);
    this.#first.onConnection(socket, undefined);
  }
}
