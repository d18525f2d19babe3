// Main thread: lays out every listener's, cluster's and host's metric blocks in shared memory.
// Keys are stable, so a reload that keeps a listener keeps its counters.
import type { SharedPlan } from '../api/metrics.ts';
import type { ConfigSnapshot } from '../config/types.ts';
import { clusterScope, clusterShared, hostScope, hostShared, listenerScope } from '../metrics/catalog.ts';
import { SlotAllocator } from '../shared/slot-allocator.ts';

export class SharedPlanner {
  readonly #stats: SlotAllocator;
  readonly #upstream: SlotAllocator;

  constructor(statSlots: number, upstreamSlots: number) {
    this.#stats = new SlotAllocator('stats', statSlots);
    this.#upstream = new SlotAllocator('upstream', upstreamSlots);
  }

  plan(snapshot: ConfigSnapshot): SharedPlan {
    const plan: SharedPlan = { listeners: {}, clusters: {} };
    for (const l of snapshot.listeners) plan.listeners[l.name] = this.#stats.allocate(`listener/${l.name}`, listenerScope.width);
    for (const c of snapshot.clusters) {
      const hosts: SharedPlan['clusters'][string]['hosts'] = {};
      for (const h of c.hosts) {
        const key = `host/${c.name}/${h.address}`;
        hosts[h.address] = {
          stats: this.#stats.allocate(key, hostScope.width),
          shared: this.#upstream.allocate(key, hostShared.width),
        };
      }
      plan.clusters[c.name] = {
        stats: this.#stats.allocate(`cluster/${c.name}`, clusterScope.width),
        shared: this.#upstream.allocate(`cluster/${c.name}`, clusterShared.width),
        hosts,
      };
    }
    return plan;
  }
}

/** Every stats slot that holds a gauge (zeroed for a worker that died). */
export function gaugeSlots(plan: SharedPlan): number[] {
  const out: number[] = [];
  const gauges = listenerScope.entries.filter((e) => e.def.kind === 'gauge');
  for (const base of Object.values(plan.listeners)) for (const e of gauges) out.push(base + e.offset);
  return out;
}
