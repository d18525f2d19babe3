// Exact metric deltas over a window: scrape before, act, scrape after, compare sample by sample.
import { type PromSample, sampleValue, scrape } from './prometheus.ts';

export class MetricWindow {
  readonly #port: number;
  readonly #before: PromSample[];
  #after: PromSample[] = [];

  private constructor(port: number, before: PromSample[]) {
    this.#port = port;
    this.#before = before;
  }

  /** Opens a window on the metrics endpoint at `port` (scrapes the "before" values). */
  static async open(port: number): Promise<MetricWindow> {
    return new MetricWindow(port, await scrape(port));
  }

  /** Scrapes the "after" values; later `delta` calls compare with this scrape. */
  async close(): Promise<this> {
    this.#after = await scrape(this.#port);
    return this;
  }

  delta(name: string, labels: Record<string, string> = {}): number {
    return sampleValue(this.#after, name, labels) - sampleValue(this.#before, name, labels);
  }

  /** the value in the "after" scrape */
  value(name: string, labels: Record<string, string> = {}): number {
    return sampleValue(this.#after, name, labels);
  }

  /**
   * Scrapes until `name{labels}` minus its "before" value passes `test` (bounded by count and
   * time), for counters written after the client already has its answer.
   */
  async settle(name: string, labels: Record<string, string>, test: (delta: number, value: number) => boolean, timeoutMs = 5_000): Promise<this> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 1_000; i++) {
      await this.close();
      if (test(this.delta(name, labels), this.value(name, labels)) || Date.now() > deadline) return this;
      await new Promise((r) => setTimeout(r, 10));
    }
    return this;
  }
}
