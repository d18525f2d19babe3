// What the admin endpoints read: shared memory, the current plan, worker supervision.
import type { SharedPlan } from '../api/metrics.ts';
import { aggregate, type MetricFamily } from '../metrics/aggregate.ts';
import type { SharedMemory } from '../shared/layout.ts';

export interface WorkerCounts {
  readonly count: number;
  readonly readyCount: number;
  readonly restarts: number;
}

export interface StatsSources {
  memory: SharedMemory;
  plan(): SharedPlan;
  supervisor: WorkerCounts;
}

export function readFamilies(s: StatsSources): MetricFamily[] {
  const { memory } = s;
  return aggregate(
    { stats: memory.stats, statSlots: memory.layout.statSlots, workers: memory.layout.workers, upstream: memory.upstream },
    s.plan(),
  );
}
