// Runs the system curl (a real, independent HTTP client) and returns what it printed.
import { execFile } from 'node:child_process';

export const CURL = '/usr/bin/curl';

export interface CurlResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function curl(args: string[], timeoutMs = 30_000): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile(CURL, ['--silent', '--show-error', '--noproxy', '*', ...args], { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : -1) : 0;
      if (err && code === -1) return reject(err);
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
  });
}
