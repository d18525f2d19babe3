// Building blocks for the metric catalog: a scope is a label set (listener, cluster, host…)
// and the metrics recorded under it. Offsets are computed once here so that workers write
// `stats[base + offset]` with no lookups by name on the hot path.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricDef {
  readonly kind: MetricKind;
  /** Prometheus name (MOSN spelling; counters end in _total) */
  readonly name: string;
  readonly help: string;
  /** histogram upper bounds in seconds, ascending, without +Inf */
  readonly buckets?: readonly number[];
}

export function counter(name: string, help: string): MetricDef {
  return { kind: 'counter', name, help };
}
export function gauge(name: string, help: string): MetricDef {
  return { kind: 'gauge', name, help };
}
export function histogram(name: string, help: string, buckets: readonly number[]): MetricDef {
  return { kind: 'histogram', name, help, buckets };
}

/** Slots a metric takes: 1, or for a histogram one per bucket, one for +Inf and one for the sum (µs). */
export function metricWidth(def: MetricDef): number {
  return def.kind === 'histogram' ? def.buckets!.length + 2 : 1;
}

export interface ScopeEntry {
  readonly key: string;
  readonly def: MetricDef;
  readonly offset: number;
}

export interface MetricScope<K extends string> {
  readonly labelNames: readonly string[];
  /** offset of each metric inside one block of this scope */
  readonly offset: { readonly [P in K]: number };
  readonly entries: readonly ScopeEntry[];
  /** slots one block of this scope takes */
  readonly width: number;
}

export function defineScope<K extends string>(labelNames: readonly string[], defs: Record<K, MetricDef>): MetricScope<K> {
  const offset = {} as Record<K, number>;
  const entries: ScopeEntry[] = [];
  let at = 0;
  for (const key of Object.keys(defs) as K[]) {
    const def = defs[key];
    offset[key] = at;
    entries.push({ key, def, offset: at });
    at += metricWidth(def);
  }
  return { labelNames, offset: Object.freeze(offset), entries, width: at };
}

/** Gauges kept in the process-wide upstream region (Int32, exact across workers). */
export interface SharedGaugeScope<K extends string> {
  readonly offset: { readonly [P in K]: number };
  readonly entries: readonly ScopeEntry[];
  readonly width: number;
}

export function defineSharedGauges<K extends string>(defs: Record<K, MetricDef | null>): SharedGaugeScope<K> {
  const offset = {} as Record<K, number>;
  const entries: ScopeEntry[] = [];
  let at = 0;
  for (const key of Object.keys(defs) as K[]) {
    offset[key] = at;
    const def = defs[key];
    // null: a shared counter used for limits only, not exported
    if (def) entries.push({ key, def, offset: at });
    at += 1;
  }
  return { offset: Object.freeze(offset), entries, width: at };
}
