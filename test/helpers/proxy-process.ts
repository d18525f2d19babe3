// Runs the real `mosn-ts` process (scripts/mosn-ts.mjs) on a config written to a temp file, and
// waits for its "mosn-ts started" log line: no sleeps, only events.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'scripts', 'mosn-ts.mjs');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** The test runner's environment without the variables mosn-ts reads, so tests set them explicitly. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['MOSN_CONFIG', 'MOSN_TS_WORKERS', 'MOSN_TS_ACCEPT_MODE', 'LOG_LEVEL', 'MOSN_DRAIN_TIME_S', 'MOSN_TS_DEBUG_API']) delete env[k];
  return env;
}

export function writeConfig(config: unknown, name = 'config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mosn-ts-test-'));
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return file;
}

/** Runs `mosn-ts <args>` to completion (validate, version, a start that must fail). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv(), ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mosn-ts ${args.join(' ')} did not exit in ${opts.timeoutMs ?? 20_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface StartOptions {
  /** --workers value (default 1); null passes no --workers flag */
  workers?: number | null;
  /** how the config file is named: `-c <file>` (default) or the MOSN_CONFIG variable */
  configVia?: 'flag' | 'env';
  acceptMode?: 'handoff' | 'reuseport';
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** what runs before `start`: default this Node (the pinned 24) on scripts/mosn-ts.mjs */
  command?: string[];
}

export class ProxyProcess {
  readonly child: ChildProcess;
  readonly configFile: string;
  stdout = '';
  stderr = '';
  readonly #exited: Promise<RunResult>;
  #lineWaiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];

  private constructor(child: ChildProcess, configFile: string) {
    this.child = child;
    this.configFile = configFile;
    let partial = '';
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      this.stdout += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.#onLine(line);
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.#exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      }),
    );
  }

  #onLine(line: string): void {
    this.#lineWaiters = this.#lineWaiters.filter((w) => {
      if (!w.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first stdout line (from now on or already seen) that passes `test`. */
  waitForLine(test: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const seen = this.stdout.split('\n').find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`log line not seen in ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), timeoutMs);
      this.#lineWaiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      void this.#exited.then((r) => {
        clearTimeout(timer);
        reject(new Error(`mosn-ts exited (code ${r.code}, signal ${r.signal}) before the line appeared\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`));
      });
    });
  }

  /** Starts the process and waits for its "mosn-ts started" line. */
  static async start(config: unknown, opts: StartOptions = {}): Promise<ProxyProcess> {
    const proc = ProxyProcess.spawn(config, opts);
    await proc.waitForLine((l) => l.includes('"msg":"mosn-ts started"'));
    return proc;
  }

  /** Starts the process without waiting (for log levels that hide the started line). */
  static spawn(config: unknown, opts: StartOptions = {}): ProxyProcess {
    const file = typeof config === 'string' && !config.trimStart().startsWith('{') ? config : writeConfig(config);
    const viaEnv = opts.configVia === 'env';
    const [program, ...prefix] = opts.command ?? [process.execPath, CLI];
    const args = [
      ...prefix,
      'start',
      ...(viaEnv ? [] : ['-c', file]),
      ...(opts.workers === null ? [] : ['--workers', String(opts.workers ?? 1)]),
      ...(opts.acceptMode ? ['--accept-mode', opts.acceptMode] : []),
      ...(opts.args ?? []),
    ];
    const env = { ...cleanEnv(), MOSN_TS_DEBUG_API: '1', ...(viaEnv ? { MOSN_CONFIG: file } : {}), ...opts.env };
    const child = spawn(program!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    return new ProxyProcess(child, file);
  }

  /** Sends `signal` and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<RunResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const r = await this.#exited;
    clearTimeout(timer);
    return r;
  }

  exited(): Promise<RunResult> {
    return this.#exited;
  }
}
