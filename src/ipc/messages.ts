// Messages between the control plane (main thread) and data-plane workers. Every message is
// plain data (structured clone), tagged with `type`; the union is the whole protocol.
import type { Socket } from 'node:net';
import type { SharedPlan } from '../api/metrics.ts';
import type { AcceptMode, ConfigSnapshot, LogLevel } from '../config/types.ts';
import type { SharedLayout } from '../shared/layout.ts';

export const IPC_VERSION = 1;

/** workerData of every data-plane worker. */
export interface WorkerBootData {
  ipcVersion: typeof IPC_VERSION;
  workerIndex: number;
  /** increases each time the slot's worker is replaced */
  incarnation: number;
  sharedBuffer: SharedArrayBuffer;
  layout: SharedLayout;
  snapshot: ConfigSnapshot;
  plan: SharedPlan;
  acceptMode: AcceptMode;
  logLevel: LogLevel;
}

export type ControlToWorker =
  /** handoff mode: a freshly accepted, paused socket for `listener` */
  | { type: 'connection'; listener: string; socket: Socket }
  /** stop taking connections; close idle ones; finish the rest within `timeoutMs` */
  | { type: 'drain'; timeoutMs: number }
  | { type: 'log-level'; level: LogLevel }
  /** test/debug hook enabled by MOSN_TS_DEBUG_API: make this worker throw */
  | { type: 'crash' };

export type WorkerToControl =
  /** reuseport mode: listeners are bound; handoff mode: ready for sockets */
  | { type: 'ready' }
  | { type: 'listen-error'; listener: string; path: string; message: string }
  /** every connection closed after a drain */
  | { type: 'drained' }
  | { type: 'fatal'; message: string; stack?: string | undefined };
