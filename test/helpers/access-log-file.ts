// Reads an access log file the proxy writes (its writer batches lines for up to 50 ms): bounded
// polling until enough lines are there.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.ts';

export function tempLogPath(name = 'access.log'): string {
  return join(mkdtempSync(join(tmpdir(), 'mosn-ts-alog-')), name);
}

export function logLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

/** Resolves with the first line (in file order) that passes `test`. */
export function waitForLogLine(path: string, test: (line: string) => boolean, timeoutMs = 5_000): Promise<string> {
  return waitFor(`access log line in ${path}`, () => logLines(path).find(test), { timeoutMs, intervalMs: 10 });
}

/** Resolves with all lines once there are at least `n`. */
export function waitForLogCount(path: string, n: number, timeoutMs = 5_000): Promise<string[]> {
  return waitFor(`${n} access log lines in ${path}`, () => {
    const lines = logLines(path);
    return lines.length >= n ? lines : undefined;
  }, { timeoutMs, intervalMs: 10 });
}
