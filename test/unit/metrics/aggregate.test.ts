import { describe, expect, it } from 'vitest';
import type { SharedPlan } from '../../../src/api/metrics.ts';
import { aggregate, type HistogramValue, type MetricFamily } from '../../../src/metrics/aggregate.ts';
import { CONNECTION_BUCKETS, clusterScope, hostScope, hostShared, listenerScope } from '../../../src/metrics/catalog.ts';
import { StatsWriter } from '../../../src/metrics/stats-writer.ts';
import { createSharedMemory } from '../../../src/shared/layout.ts';
import { UpstreamCounters } from '../../../src/shared/upstream-counters.ts';

const STAT_SLOTS = 1024;
const L = listenerScope.offset;
const H = hostScope.offset;

function setup(workers: number) {
  const memory = createSharedMemory({ workers, statSlots: STAT_SLOTS, upstreamSlots: 64 });
  const plan: SharedPlan = {
    listeners: { a: 0, b: listenerScope.width },
    clusters: {
      c: {
        stats: 2 * listenerScope.width,
        shared: 0,
        hosts: {
          '10.0.0.1:80': { stats: 2 * listenerScope.width + clusterScope.width, shared: 8 },
          '10.0.0.2:80': { stats: 2 * listenerScope.width + clusterScope.width + hostScope.width, shared: 16 },
        },
      },
    },
  };
  const writers = Array.from({ length: workers }, (_v, w) => new StatsWriter(memory.stats, w * STAT_SLOTS));
  const families = (): Map<string, MetricFamily> =>
    new Map(aggregate({ stats: memory.stats, statSlots: STAT_SLOTS, workers, upstream: memory.upstream }, plan).map((f) => [f.def.name, f]));
  return { memory, plan, writers, families };
}

const value = (f: MetricFamily | undefined, labels: Record<string, string>) =>
  f!.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('aggregate', () => {
  it('sums counters over workers, per listener and as proxy="global" (first)', () => {
    const { writers, families } = setup(3);
    writers[0]!.add(0 + L.bytesRead, 10);
    writers[2]!.add(0 + L.bytesRead, 5);
    writers[1]!.add(listenerScope.width + L.bytesRead, 7);
    const f = families().get('downstream_bytes_read_total');
    expect(f!.samples.map((s) => s.labels)).toEqual([{ proxy: 'global' }, { listener: 'a' }, { listener: 'b' }]);
    expect(value(f, { listener: 'a' })).toBe(15);
    expect(value(f, { listener: 'b' })).toBe(7);
    expect(value(f, { proxy: 'global' })).toBe(22);
  });

  it('gauges go up and down across workers', () => {
    const { writers, families } = setup(2);
    writers[0]!.inc(L.connectionActive);
    writers[1]!.inc(L.connectionActive);
    writers[1]!.dec(L.connectionActive);
    expect(value(families().get('downstream_connection_active'), { listener: 'a' })).toBe(1);
  });

  it('histograms are cumulative with +Inf last, sum in seconds, merged over workers', () => {
    const { writers, families } = setup(2);
    writers[0]!.observe(L.connectionDuration, CONNECTION_BUCKETS, 0.0005); // <= 0.001
    writers[1]!.observe(L.connectionDuration, CONNECTION_BUCKETS, 0.002); // <= 0.005
    writers[1]!.observe(L.connectionDuration, CONNECTION_BUCKETS, 5000); // +Inf
    const h = value(families().get('downstream_connection_duration_seconds'), { listener: 'a' }) as HistogramValue;
    expect(h.cumulative).toHaveLength(CONNECTION_BUCKETS.length + 1);
    expect(h.cumulative.slice(0, 3)).toEqual([1, 2, 2]);
    expect(h.cumulative[h.cumulative.length - 2]).toBe(2);
    expect(h.cumulative[h.cumulative.length - 1]).toBe(3);
    expect(h.sumSeconds).toBeCloseTo(5000.0025, 6);
    const global = value(families().get('downstream_connection_duration_seconds'), { proxy: 'global' }) as HistogramValue;
    expect(global.cumulative).toEqual(h.cumulative);
  });

  it('a value on a bucket bound falls in that bucket (le)', () => {
    const { writers, families } = setup(1);
    writers[0]!.observe(L.connectionDuration, CONNECTION_BUCKETS, 0.01);
    const h = value(families().get('downstream_connection_duration_seconds'), { listener: 'a' }) as HistogramValue;
    expect(h.cumulative.slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('host metrics are also summed per cluster (cluster sample first)', () => {
    const { writers, families, plan } = setup(2);
    const hosts = plan.clusters['c']!.hosts;
    writers[0]!.inc(hosts['10.0.0.1:80']!.stats + H.connectionTotal);
    writers[1]!.inc(hosts['10.0.0.2:80']!.stats + H.connectionTotal);
    writers[1]!.inc(hosts['10.0.0.2:80']!.stats + H.connectionTotal);
    const f = families().get('upstream_connection_total');
    expect(f!.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ cluster: 'c' }, 3],
      [{ cluster: 'c', host: '10.0.0.1:80' }, 1],
      [{ cluster: 'c', host: '10.0.0.2:80' }, 2],
    ]);
  });

  it('process-wide host gauges come from the upstream region', () => {
    const { memory, families, plan } = setup(2);
    const counters = new UpstreamCounters(memory, 1);
    counters.increment(plan.clusters['c']!.hosts['10.0.0.2:80']!.shared + hostShared.offset.activeConnections);
    const f = families().get('upstream_connection_active');
    expect(value(f, { cluster: 'c', host: '10.0.0.2:80' })).toBe(1);
    expect(value(f, { cluster: 'c' })).toBe(1);
  });
});
