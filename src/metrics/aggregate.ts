// Main side: sums the per-worker rows into one sample list per metric, with MOSN's two label
// sets (per listener + proxy="global"; per host + per cluster). Prometheus text and the admin
// stats JSON are both rendered from this.
import type { SharedPlan } from '../api/metrics.ts';
import { clusterScope, hostScope, hostShared, listenerScope } from './catalog.ts';
import type { MetricDef, ScopeEntry } from './define.ts';

export interface StatsSource {
  stats: Float64Array;
  statSlots: number;
  workers: number;
  upstream: Int32Array;
}

export interface HistogramValue {
  /** cumulative counts per bound, then +Inf */
  cumulative: number[];
  sumSeconds: number;
}

export interface Sample {
  labels: Record<string, string>;
  value: number | HistogramValue;
}

export interface MetricFamily {
  def: MetricDef;
  samples: Sample[];
}

function sumSlot(src: StatsSource, slot: number): number {
  let total = 0;
  for (let w = 0; w < src.workers; w++) total += src.stats[w * src.statSlots + slot]!;
  return total;
}

function readHistogram(src: StatsSource, slot: number, def: MetricDef): HistogramValue {
  const n = def.buckets!.length;
  const cumulative: number[] = [];
  let running = 0;
  for (let i = 0; i <= n; i++) {
    running += sumSlot(src, slot + i);
    cumulative.push(running);
  }
  return { cumulative, sumSeconds: sumSlot(src, slot + n + 1) / 1e6 };
}

function addInto(acc: Sample, value: number | HistogramValue): void {
  if (typeof value === 'number') {
    acc.value = (acc.value as number) + value;
    return;
  }
  const h = acc.value as HistogramValue;
  for (let i = 0; i < h.cumulative.length; i++) h.cumulative[i]! += value.cumulative[i]!;
  h.sumSeconds += value.sumSeconds;
}

function zeroLike(value: number | HistogramValue): number | HistogramValue {
  return typeof value === 'number' ? 0 : { cumulative: value.cumulative.map(() => 0), sumSeconds: 0 };
}

function readEntry(src: StatsSource, base: number, e: ScopeEntry): number | HistogramValue {
  return e.def.kind === 'histogram' ? readHistogram(src, base + e.offset, e.def) : sumSlot(src, base + e.offset);
}

/** Every metric family of the catalog with its current samples. */
export function aggregate(src: StatsSource, plan: SharedPlan): MetricFamily[] {
  const families: MetricFamily[] = [];

  for (const e of listenerScope.entries) {
    const samples: Sample[] = [];
    let global: Sample | undefined;
    for (const [listener, base] of Object.entries(plan.listeners)) {
      const value = readEntry(src, base, e);
      samples.push({ labels: { listener }, value });
      global ??= { labels: { proxy: 'global' }, value: zeroLike(value) };
      addInto(global, value);
    }
    if (global) samples.unshift(global);
    families.push({ def: e.def, samples });
  }

  for (const e of clusterScope.entries) {
    const samples = Object.entries(plan.clusters).map(([cluster, c]) => ({ labels: { cluster }, value: readEntry(src, c.stats, e) }));
    families.push({ def: e.def, samples });
  }

  const perHost = (read: (slots: { stats: number; shared: number }) => number | HistogramValue, def: MetricDef): MetricFamily => {
    const samples: Sample[] = [];
    for (const [cluster, c] of Object.entries(plan.clusters)) {
      let clusterSample: Sample | undefined;
      const hostSamples: Sample[] = [];
      for (const [host, slots] of Object.entries(c.hosts)) {
        const value = read(slots);
        hostSamples.push({ labels: { cluster, host }, value });
        clusterSample ??= { labels: { cluster }, value: zeroLike(value) };
        addInto(clusterSample, value);
      }
      if (clusterSample) samples.push(clusterSample);
      samples.push(...hostSamples);
    }
    return { def, samples };
  };
  for (const e of hostScope.entries) families.push(perHost((s) => readEntry(src, s.stats, e), e.def));
  for (const e of hostShared.entries) families.push(perHost((s) => Atomics.load(src.upstream, s.shared + e.offset), e.def));

  return families;
}
