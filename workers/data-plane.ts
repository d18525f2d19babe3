// Entry point of every data-plane worker thread: hand workerData to the data plane and report
// anything fatal to the control plane before the thread dies (it is then replaced).
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerBootData, WorkerToControl } from '../src/ipc/messages.ts';
import { startDataPlane } from '../src/worker/bootstrap.ts';

const port = parentPort!;
const fatal = (err: unknown): void => {
  const e = err instanceof Error ? err : new Error(String(err));
  port.postMessage({ type: 'fatal', message: e.message, stack: e.stack } satisfies WorkerToControl);
};
process.on('uncaughtException', (err) => {
  fatal(err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  fatal(err);
  process.exit(1);
});

await startDataPlane(workerData as WorkerBootData, port);
