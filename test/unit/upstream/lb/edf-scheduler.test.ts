import { describe, expect, it } from 'vitest';
import { EdfScheduler } from '../../../../src/upstream/lb/edf-scheduler.ts';

function run(weights: number[], picks: number): number[] {
  const edf = new EdfScheduler(weights);
  const counts = weights.map(() => 0);
  for (let k = 0; k < picks; k++) {
    const i = edf.peek();
    counts[i]!++;
    edf.requeue(weights[i]!);
  }
  return counts;
}

describe('EdfScheduler', () => {
  it('picks each entry in proportion to its weight', () => {
    const weights = [1, 2, 3, 4, 10];
    const counts = run(weights, 20_000);
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => expect(Math.abs(counts[i]! - (20_000 * w) / total)).toBeLessThanOrEqual(2));
  });

  it('breaks equal deadlines in queue order, which makes equal weights a round robin', () => {
    const edf = new EdfScheduler([5, 5, 5]);
    const order: number[] = [];
    for (let k = 0; k < 9; k++) {
      order.push(edf.peek());
      edf.requeue(5);
    }
    expect(order).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('uses the weight given at requeue time for the next deadline', () => {
    const edf = new EdfScheduler([1, 1]);
    // entry 0 is re-queued with a tiny weight: it falls far behind entry 1
    expect(edf.peek()).toBe(0);
    edf.requeue(0.01);
    const next: number[] = [];
    for (let k = 0; k < 50; k++) {
      next.push(edf.peek());
      edf.requeue(1);
    }
    expect(next.filter((i) => i === 0)).toHaveLength(0);
  });

  it('handles a single entry and large heaps', () => {
    expect(run([7], 10)).toEqual([10]);
    const weights = Array.from({ length: 1000 }, (_, i) => (i % 128) + 1);
    const counts = run(weights, 1_000_000);
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) {
      expect(Math.abs(counts[i]! - (1_000_000 * weights[i]!) / total)).toBeLessThanOrEqual(2);
    }
  });
});
