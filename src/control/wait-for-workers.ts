// Start-up gate: every worker has said `ready` (in reuseport mode: its listeners are bound).
// A listen error or a worker dying before that fails the start.
import { StartupError } from '../common/errors.ts';
import type { WorkerSupervisor } from './worker-supervisor.ts';

const STARTUP_TIMEOUT_MS = 30_000;

/** `source` (the config file) prefixes listen errors, which carry a JSON path. */
export function waitForWorkers(supervisor: WorkerSupervisor, source: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer);
      supervisor.off('ready', onReady);
      supervisor.off('listen-error', onListenError);
      supervisor.off('restart', onRestart);
      if (err) {
        void supervisor.terminateAll().finally(() => reject(err));
      } else resolve();
    };
    const onReady = (): void => {
      if (supervisor.readyCount === supervisor.count) done();
    };
    const onListenError = (e: { path: string; message: string }): void => done(new StartupError(`${source}: ${e.path}: ${e.message}`));
    const onRestart = (index: number): void => done(new StartupError(`worker ${index} exited during start-up (see the log above)`));
    const timer = setTimeout(() => done(new StartupError(`workers not ready after ${STARTUP_TIMEOUT_MS / 1000}s`)), STARTUP_TIMEOUT_MS);
    supervisor.on('ready', onReady);
    supervisor.on('listen-error', onListenError);
    supervisor.on('restart', onRestart);
  });
}
