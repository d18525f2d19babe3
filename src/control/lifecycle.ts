// Process state (MOSN's stage numbers, shown by /api/v1/states), the pid file, and the drain on
// SIGTERM/SIGINT: stop accepting, let connections finish up to the drain timeout, exit 0.
// A second signal during the drain exits at once.
import { rmSync, writeFileSync } from 'node:fs';
import type { Logger } from '../api/logger.ts';
import type { HandoffAcceptor } from './accept-loop.ts';
import type { WorkerSupervisor } from './worker-supervisor.ts';

/** MOSN stagemanager states */
export const Stage = { starting: 4, running: 6, gracefulStopping: 8, stopping: 9, stopped: 11 } as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

export interface Closeable {
  close(): Promise<void>;
}

export interface LifecycleOptions {
  supervisor: WorkerSupervisor;
  acceptor: HandoffAcceptor | undefined;
  logger: Logger;
  drainTimeoutMs: number;
  pidFile: string | undefined;
}

/** Extra time past the drain timeout for workers to report back before we stop waiting. */
const DRAIN_REPORT_GRACE_MS = 2_000;

export class Lifecycle {
  #stage: Stage = Stage.starting;
  readonly #opts: LifecycleOptions;
  readonly #owned: Closeable[] = [];

  constructor(opts: LifecycleOptions) {
    this.#opts = opts;
  }

  get stage(): Stage {
    return this.#stage;
  }

  own(c: Closeable): void {
    this.#owned.push(c);
  }

  running(): void {
    this.#stage = Stage.running;
    if (this.#opts.pidFile) writeFileSync(this.#opts.pidFile, `${process.pid}\n`);
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.#stage === Stage.gracefulStopping) {
        this.#opts.logger.warn({ signal }, 'second signal during drain: stopping now');
        void this.#finish(1);
        return;
      }
      void this.drain(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  async drain(reason: string): Promise<void> {
    if (this.#stage !== Stage.running) return;
    this.#stage = Stage.gracefulStopping;
    const { supervisor, acceptor, logger, drainTimeoutMs } = this.#opts;
    logger.info({ reason, drainTimeoutMs }, 'draining: no new connections; waiting for open ones');
    supervisor.beginShutdown();
    await acceptor?.close();
    const pending = new Set(supervisor.liveIndexes());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainTimeoutMs + DRAIN_REPORT_GRACE_MS);
      const onDrained = (index: number): void => {
        pending.delete(index);
        if (pending.size === 0) {
          clearTimeout(timer);
          supervisor.off('drained', onDrained);
          resolve();
        }
      };
      supervisor.on('drained', onDrained);
      if (pending.size === 0) onDrained(-1);
      supervisor.broadcast({ type: 'drain', timeoutMs: drainTimeoutMs });
    });
    logger.info({ leftWorkers: pending.size }, 'drain complete');
    await this.#finish(0);
  }

  /** Start-up failed after some servers were listening: close everything, no exit. */
  async abort(): Promise<void> {
    this.#stage = Stage.stopping;
    await this.#opts.acceptor?.close();
    await Promise.all(this.#owned.map((c) => c.close().catch(() => undefined)));
    await this.#opts.supervisor.terminateAll();
  }

  async #finish(code: number): Promise<void> {
    this.#stage = Stage.stopping;
    await Promise.all(this.#owned.map((c) => c.close().catch(() => undefined)));
    await this.#opts.supervisor.terminateAll();
    if (this.#opts.pidFile) rmSync(this.#opts.pidFile, { force: true });
    this.#stage = Stage.stopped;
    (this.#opts.logger as { flush?: (cb?: () => void) => void }).flush?.();
    process.exit(code);
  }
}
