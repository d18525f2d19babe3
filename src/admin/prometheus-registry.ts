// The prom-client registry of the main thread. Catalog metrics are read from shared memory at
// scrape time (summed over workers) through custom metric objects; prom-client renders the text
// and adds process_* metrics.
import client from 'prom-client';
import type { HistogramValue, MetricFamily } from '../metrics/aggregate.ts';
import { WorkerInfo, workerInfoIndex } from '../shared/layout.ts';
import { readFamilies, type StatsSources } from './stats-source.ts';

/** prom-client default gauges whose `_total` suffix breaks the Prometheus naming rules. */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

interface PromValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

function toPromValues(family: MetricFamily): PromValue[] {
  const out: PromValue[] = [];
  const name = family.def.name;
  for (const s of family.samples) {
    if (typeof s.value === 'number') {
      out.push({ labels: s.labels, value: s.value });
      continue;
    }
    const h = s.value as HistogramValue;
    const bounds = family.def.buckets!;
    h.cumulative.forEach((count, i) => {
      const le = i < bounds.length ? String(bounds[i]) : '+Inf';
      out.push({ labels: { ...s.labels, le }, value: count, metricName: `${name}_bucket` });
    });
    out.push({ labels: s.labels, value: h.sumSeconds, metricName: `${name}_sum` });
    out.push({ labels: s.labels, value: h.cumulative[h.cumulative.length - 1]!, metricName: `${name}_count` });
  }
  return out;
}

/** A prom-client metric whose values come from the shared-memory scrape in progress. */
class SharedFamilyMetric {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator = 'sum';
  readonly #current: () => MetricFamily | undefined;

  constructor(family: MetricFamily, current: () => MetricFamily | undefined) {
    this.name = family.def.name;
    this.help = family.def.help;
    this.type = family.def.kind;
    this.#current = current;
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: PromValue[] } {
    const f = this.#current();
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: f ? toPromValues(f) : [] };
  }
}

export class PrometheusRegistry {
  readonly registry = new client.Registry();
  readonly #sources: StatsSources;
  #scrape = new Map<string, MetricFamily>();

  constructor(sources: StatsSources, collectProcess: boolean) {
    this.#sources = sources;
    if (collectProcess) {
      client.collectDefaultMetrics({ register: this.registry });
      // gauges named like counters (promtool lint rejects them); the per-type gauges remain
      for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    }
    for (const family of readFamilies(sources)) {
      this.registry.registerMetric(new SharedFamilyMetric(family, () => this.#scrape.get(family.def.name)) as unknown as client.Metric);
    }
    const sup = sources.supervisor;
    new client.Gauge({
      name: 'mosn_ts_workers',
      help: 'Data-plane worker threads running',
      registers: [this.registry],
      collect() {
        this.set(sup.readyCount);
      },
    });
    const info = sources.memory.workerInfo;
    const read = (w: number, field: number): number => Atomics.load(info, workerInfoIndex(w, field));
    new client.Gauge({
      name: 'mosn_ts_worker_connection_active',
      help: 'Downstream connections each worker owns now',
      labelNames: ['worker'],
      registers: [this.registry],
      collect() {
        for (let w = 0; w < sup.count; w++) this.set({ worker: String(w) }, read(w, WorkerInfo.activeConnections));
      },
    });
    new client.Counter({
      name: 'mosn_ts_worker_connection_total',
      help: 'Downstream connections each worker has taken',
      labelNames: ['worker'],
      registers: [this.registry],
      collect() {
        this.reset();
        // an Int32 cell read as unsigned: counts to 2^32 before wrapping (inc() refuses negatives)
        for (let w = 0; w < sup.count; w++) this.inc({ worker: String(w) }, read(w, WorkerInfo.connectionsTotal) >>> 0);
      },
    });
    new client.Counter({
      name: 'worker_restarts_total',
      help: 'Worker threads that died and were replaced',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sup.restarts);
      },
    });
  }

  async metrics(): Promise<string> {
    this.#scrape = new Map(readFamilies(this.#sources).map((f) => [f.def.name, f]));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
