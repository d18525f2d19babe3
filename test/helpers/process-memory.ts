// Resident memory of a process (all its threads) from /proc, and a sampler that keeps the peak
// while a transfer runs.
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export interface RssSampler {
  /** highest VmRSS seen so far */
  readonly peak: number;
  stop(): number;
}

/** Samples VmRSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 50): RssSampler {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      clearInterval(timer);
    }
  }, everyMs);
  return {
    get peak() {
      return peak;
    },
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssBytes(pid));
      } catch {
        // process gone
      }
      return peak;
    },
  };
}
