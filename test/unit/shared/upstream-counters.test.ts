import { describe, expect, it } from 'vitest';
import { createSharedMemory } from '../../../src/shared/layout.ts';
import { releaseWorkerUpstreamShare, UpstreamCounters } from '../../../src/shared/upstream-counters.ts';

describe('UpstreamCounters', () => {
  it('tryAcquire enforces a process-wide limit across workers; 0 is unlimited', () => {
    const memory = createSharedMemory({ workers: 2, statSlots: 8, upstreamSlots: 8 });
    const w0 = new UpstreamCounters(memory, 0);
    const w1 = new UpstreamCounters(memory, 1);
    expect(w0.tryAcquire(3, 2)).toBe(true);
    expect(w1.tryAcquire(3, 2)).toBe(true);
    expect(w1.tryAcquire(3, 2)).toBe(false);
    expect(w0.read(3)).toBe(2);
    w0.decrement(3);
    expect(w1.tryAcquire(3, 2)).toBe(true);
    for (let i = 0; i < 100; i++) expect(w0.tryAcquire(4, 0)).toBe(true);
    expect(w1.read(4)).toBe(100);
  });

  it('what a dead worker held is given back, and only that', () => {
    const memory = createSharedMemory({ workers: 2, statSlots: 8, upstreamSlots: 8 });
    const w0 = new UpstreamCounters(memory, 0);
    const w1 = new UpstreamCounters(memory, 1);
    w0.increment(1);
    w0.increment(1);
    w0.tryAcquire(2, 0);
    w1.increment(1);
    w1.tryAcquire(2, 5);
    expect([w0.read(1), w0.read(2)]).toEqual([3, 2]);
    releaseWorkerUpstreamShare(memory, 0);
    expect([w1.read(1), w1.read(2)]).toEqual([1, 1]);
    // releasing twice changes nothing
    releaseWorkerUpstreamShare(memory, 0);
    expect([w1.read(1), w1.read(2)]).toEqual([1, 1]);
    // a refused acquire left no share behind
    expect(w1.tryAcquire(2, 1)).toBe(false);
    releaseWorkerUpstreamShare(memory, 1);
    expect([w1.read(1), w1.read(2)]).toEqual([0, 0]);
  });
});
