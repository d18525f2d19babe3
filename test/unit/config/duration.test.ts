import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from '../../../src/config/duration.ts';

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['300ms', 300],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['2h45m', 9_900_000],
    ['1h1m1s1ms', 3_661_001],
    ['-1s', -1000],
    ['+2s', 2000],
    ['1000us', 1],
    ['1000µs', 1],
    ['1000μs', 1],
    ['1000000ns', 1],
    ['.5s', 500],
    ['5.s', 5000],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '1', '10', 's', '1sec', '1 s', '1d', '1s2', '--1s', '-', '1.2.3s', 'ms', '1S'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it('formats back in Go style', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(250)).toBe('250ms');
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(3_600_000)).toBe('1h');
    expect(formatGoDuration(-1500)).toBe('-1.5s');
  });
});
