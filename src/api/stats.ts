// The write side of the shared metrics, as code outside src/metrics sees it (StatsWriter).
export interface StatsSink {
  inc(slot: number): void;
  dec(slot: number): void;
  add(slot: number, n: number): void;
  /** histogram at `slot`, value in seconds */
  observe(slot: number, bounds: readonly number[], seconds: number): void;
}
