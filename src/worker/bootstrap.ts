// The data-plane composition root: from workerData (config snapshot, shared memory, plan) it
// builds clusters and listeners, then takes connections (handed over or accepted itself) until
// told to drain.
import type { Server, Socket } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import type { NetworkFilterFactory, WorkerScope } from '../api/filter.ts';
import type { Router } from '../api/router.ts';
import type { LbType, LoadBalancerFactory } from '../api/upstream.ts';
import { createLogger } from '../common/logger.ts';
import { builtinLoadBalancers, builtinNetworkFilters, builtinRpcCodecs } from '../extensions.ts';
import type { ControlToWorker, WorkerBootData, WorkerToControl } from '../ipc/messages.ts';
import { StatsWriter } from '../metrics/stats-writer.ts';
import { ConnectionTracker } from '../network/connection-tracker.ts';
import { attachSharedMemory, WorkerInfo, workerInfoIndex } from '../shared/layout.ts';
import { UpstreamCounters } from '../shared/upstream-counters.ts';
import { ClusterManagerRuntime } from '../upstream/cluster-manager.ts';
import { compileRouter } from '../router/compile.ts';
import { AccessLog, AccessLogWriters } from '../proxy/access-log/access-log.ts';
import { ListenerRuntime } from './listener-runtime.ts';
import { bindReusePort } from './reuseport-listeners.ts';

export async function startDataPlane(data: WorkerBootData, port: MessagePort): Promise<void> {
  const send = (msg: WorkerToControl): void => port.postMessage(msg);
  const { snapshot, plan, workerIndex } = data;
  const memory = attachSharedMemory(data.sharedBuffer, data.layout);
  const stats = new StatsWriter(memory.stats, workerIndex * data.layout.statSlots);
  const counters = new UpstreamCounters(memory, workerIndex);
  const logger = createLogger({ level: data.logLevel, destination: snapshot.server.logPath, bindings: { thread: `worker-${workerIndex}` } });

  const balancers = new Map<LbType, LoadBalancerFactory>(builtinLoadBalancers.map((b) => [b.name, b]));
  const filters = new Map<string, NetworkFilterFactory>(builtinNetworkFilters.map((f) => [f.name, f]));
  const clusters = new ClusterManagerRuntime(snapshot.clusters, plan, balancers, stats, counters);
  const tracker = new ConnectionTracker(stats, {
    workerInfo: memory.workerInfo,
    activeIndex: workerInfoIndex(workerIndex, WorkerInfo.activeConnections),
    totalIndex: workerInfoIndex(workerIndex, WorkerInfo.connectionsTotal),
  });
  const routers = new Map<string, Router>(snapshot.routers.map((r) => [r.name, compileRouter(r)]));
  const scoped = new Map<symbol, unknown>();
  const scope: WorkerScope = {
    get: <T>(key: symbol, create: () => T): T => {
      if (!scoped.has(key)) scoped.set(key, create());
      return scoped.get(key) as T;
    },
  };
  const logWriters = new AccessLogWriters();
  const rpcCodecs = new Map(builtinRpcCodecs.map((c) => [c.name, c]));
  const listeners = new Map<string, ListenerRuntime>();
  const shared = { clusters, stats, counters, logger, routers, scope, rpcCodecs, onDrain: (s: Socket, close: () => void) => tracker.onDrain(s, close) };
  for (const l of snapshot.listeners) {
    const accessLogs = l.accessLogs.map((a) => new AccessLog(a.format, logWriters.get(a.path)));
    listeners.set(l.name, new ListenerRuntime(l, plan.listeners[l.name]!, filters, { ...shared, accessLogs }, tracker));
  }

  let servers: Server[] = [];
  port.on('message', (msg: ControlToWorker) => {
    switch (msg.type) {
      case 'connection': {
        const l = listeners.get(msg.listener);
        if (l) l.accept(msg.socket);
        else msg.socket.destroy();
        break;
      }
      case 'drain':
        for (const s of servers) s.close();
        servers = [];
        tracker.drain(msg.timeoutMs, () => {
          logger.flush();
          send({ type: 'drained' });
        });
        break;
      case 'log-level':
        logger.level = msg.level;
        break;
      case 'crash':
        // Debug hook (MOSN_TS_DEBUG_API): an uncaught error, exactly what a bug would do.
        setImmediate(() => {
          throw new Error(`worker ${workerIndex} crashed on request`);
        });
        break;
    }
  });

  if (data.acceptMode === 'reuseport') {
    const bound = await bindReusePort([...listeners.values()]);
    if (bound.failure) {
      send({ type: 'listen-error', ...bound.failure });
      return;
    }
    servers = bound.servers;
  }
  Atomics.store(memory.workerInfo, workerInfoIndex(workerIndex, WorkerInfo.ready), 1);
  logger.debug({ worker: workerIndex, incarnation: data.incarnation }, 'data plane ready');
  send({ type: 'ready' });
}
