// /api/v1/stats in MOSN's console-sink shape: {type: {"label.value[.label.value]": {key: "value"}}},
// e.g. {"downstream": {"listener.http": {"connection_total": "3"}}}. Histograms give _count and _sum.
import type { HistogramValue, MetricFamily } from '../metrics/aggregate.ts';

type StatsJson = Record<string, Record<string, Record<string, string>>>;

function splitName(name: string): { type: string; key: string } {
  const i = name.indexOf('_');
  return i < 0 ? { type: name, key: name } : { type: name.slice(0, i), key: name.slice(i + 1) };
}

function namespaceOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}.${v}`)
    .join('.');
}

export function statsJson(families: MetricFamily[], filterKey: string | null): StatsJson {
  const out: StatsJson = {};
  for (const f of families) {
    const { type, key } = splitName(f.def.name);
    for (const s of f.samples) {
      const ns = namespaceOf(s.labels);
      if (filterKey !== null && `${type}.${ns}` !== filterKey && ns !== filterKey) continue;
      const bucket = ((out[type] ??= {})[ns] ??= {});
      if (typeof s.value === 'number') bucket[key] = String(s.value);
      else {
        const h = s.value as HistogramValue;
        bucket[`${key}_count`] = String(h.cumulative[h.cumulative.length - 1]);
        bucket[`${key}_sum`] = String(h.sumSeconds);
      }
    }
  }
  return out;
}

/** /api/v1/stats_glob: the global downstream metrics as key:value lines. */
export function statsGlob(families: MetricFamily[]): string {
  let out = '';
  for (const f of families) {
    const { type, key } = splitName(f.def.name);
    if (type !== 'downstream') continue;
    const g = f.samples.find((s) => s.labels['proxy'] === 'global');
    if (g && typeof g.value === 'number') out += `${key}:${g.value}\n`;
  }
  return out;
}
