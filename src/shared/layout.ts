// The one SharedArrayBuffer of the process and every offset in it. The main thread allocates
// it before any worker starts and passes it in workerData; workers attach to the same memory.
//
//   workerInfo  Int32[workers * WORKER_INFO_WIDTH]   per worker: live downstream connections, …
//   stats       Float64[workers * statSlots]         per-worker metric slots (counters, gauges,
//                                                    histogram buckets); each row has exactly one
//                                                    writing thread, summed by the main thread at
//                                                    scrape time
//   upstream    Int32[upstreamSlots]                 process-wide upstream state that must be
//                                                    exact across workers: active requests and
//                                                    connections per host/cluster (least-request
//                                                    LB, circuit breakers)
//   shadow      Int32[workers * upstreamSlots]       each worker's share of `upstream`, so the
//                                                    main thread can take back what a crashed
//                                                    worker held
// Slot numbers inside `stats` and `upstream` are handed out by SlotAllocator (main thread) and
// travel to workers in the SharedPlan.

export interface SharedLayout {
  workers: number;
  statSlots: number;
  upstreamSlots: number;
}

export const WorkerInfo = {
  /** downstream connections the worker currently owns (handoff picks the lowest) */
  activeConnections: 0,
  /** 1 once the worker has started its data plane */
  ready: 1,
  /** downstream connections the worker has taken since the process started (read as unsigned: wraps at 2^32) */
  connectionsTotal: 2,
} as const;
export const WORKER_INFO_WIDTH = 4;

export interface SharedMemory {
  readonly layout: SharedLayout;
  readonly buffer: SharedArrayBuffer;
  readonly workerInfo: Int32Array;
  readonly stats: Float64Array;
  readonly upstream: Int32Array;
  readonly shadow: Int32Array;
}

export const DEFAULT_STAT_SLOTS = 32_768;
export const DEFAULT_UPSTREAM_SLOTS = 8_192;

function byteSize(l: SharedLayout): { info: number; stats: number; upstream: number; shadow: number } {
  const info = l.workers * WORKER_INFO_WIDTH * 4;
  const stats = l.workers * l.statSlots * 8;
  const upstream = l.upstreamSlots * 4;
  const shadow = l.workers * l.upstreamSlots * 4;
  return { info, stats, upstream, shadow };
}

/** Main thread: allocate zeroed shared memory for `layout`. */
export function createSharedMemory(layout: SharedLayout): SharedMemory {
  const s = byteSize(layout);
  // stats (8-byte aligned) first, then the 4-byte regions
  const buffer = new SharedArrayBuffer(s.stats + s.info + s.upstream + s.shadow);
  return attachSharedMemory(buffer, layout);
}

/** Either thread: typed views over an existing buffer. */
export function attachSharedMemory(buffer: SharedArrayBuffer, layout: SharedLayout): SharedMemory {
  const s = byteSize(layout);
  let at = 0;
  const stats = new Float64Array(buffer, at, layout.workers * layout.statSlots);
  at += s.stats;
  const workerInfo = new Int32Array(buffer, at, layout.workers * WORKER_INFO_WIDTH);
  at += s.info;
  const upstream = new Int32Array(buffer, at, layout.upstreamSlots);
  at += s.upstream;
  const shadow = new Int32Array(buffer, at, layout.workers * layout.upstreamSlots);
  return { layout, buffer, workerInfo, stats, upstream, shadow };
}

export function workerInfoIndex(worker: number, field: number): number {
  return worker * WORKER_INFO_WIDTH + field;
}
