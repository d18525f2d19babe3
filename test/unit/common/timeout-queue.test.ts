import { describe, expect, it } from 'vitest';
import { TimeoutQueue } from '../../../src/common/timeout-queue.ts';

function target(log: string[], name: string) {
  return { onTimeout: () => log.push(name) };
}

describe('TimeoutQueue', () => {
  it('fires entries in order after their duration, skipping cancelled ones', async () => {
    const q = new TimeoutQueue(30);
    const log: string[] = [];
    const t0 = performance.now();
    q.add(target(log, 'a'));
    const b = q.add(target(log, 'b'));
    q.add(target(log, 'c'));
    q.cancel(b);
    await new Promise<void>((resolve) => q.add({ onTimeout: () => resolve() }));
    expect(log).toEqual(['a', 'c']);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
  });

  it('entries added later fire later, and tickets stay valid across compaction', async () => {
    const q = new TimeoutQueue(20);
    const log: string[] = [];
    for (let i = 0; i < 50; i++) q.add(target(log, `early${i}`));
    await new Promise<void>((resolve) => q.add({ onTimeout: () => resolve() }));
    const late = q.add(target(log, 'late-cancelled'));
    q.add(target(log, 'late'));
    q.cancel(late);
    await new Promise<void>((resolve) => q.add({ onTimeout: () => resolve() }));
    expect(log.filter((l) => l.startsWith('early'))).toHaveLength(50);
    expect(log.slice(50)).toEqual(['late']);
  });

  it('a callback may cancel or add entries of the same queue while it fires', async () => {
    // A timeout that cancels a neighbour (the queue compacts) or schedules a retry (adds) must
    // leave every other entry firing exactly once.
    const q = new TimeoutQueue(15);
    const log: string[] = [];
    const tickets: number[] = [];
    let retried!: () => void;
    const retryFired = new Promise<void>((resolve) => (retried = resolve));
    for (let i = 0; i < 100; i++) {
      tickets.push(
        q.add({
          onTimeout: () => {
            log.push(`a${i}`);
            if (i === 70) q.cancel(tickets[71]!);
            if (i === 80) q.add({ onTimeout: () => (log.push('retry'), retried()) });
          },
        }),
      );
    }
    q.add(target(log, 'late'));
    await retryFired; // due 15 ms after a80 fired
    const expected = [...Array.from({ length: 100 }, (_, i) => `a${i}`).filter((n) => n !== 'a71'), 'late', 'retry'];
    expect([...log].sort()).toEqual(expected.sort());
    expect(log.at(-1)).toBe('retry');
  });

  it('cancelling an entry that already fired is harmless', async () => {
    const q = new TimeoutQueue(5);
    const log: string[] = [];
    const t = q.add(target(log, 'x'));
    await new Promise<void>((resolve) => q.add({ onTimeout: () => resolve() }));
    q.cancel(t);
    expect(log).toEqual(['x']);
  });
});

describe('TimeoutQueue memory', () => {
  it('cancelled entries at the front are dropped at once, so a long timeout does not pile up finished requests', () => {
    const q = new TimeoutQueue(60_000);
    const tickets: number[] = [];
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 100; i++) tickets.push(q.add({ onTimeout: () => undefined }));
      // finish roughly in order, as requests do
      for (const t of tickets.splice(0)) q.cancel(t);
      expect(q.size).toBe(0);
    }
    const live = q.add({ onTimeout: () => undefined });
    const later = q.add({ onTimeout: () => undefined });
    q.cancel(later);
    expect(q.size).toBe(2); // the cancelled one waits behind the live one
    q.cancel(live);
    expect(q.size).toBe(0);
  });
});
