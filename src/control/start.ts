// `mosn-ts start`: the control-plane composition root. Loads the config, checks every port,
// lays out shared memory, starts the workers, accepts (handoff mode), serves the admin API and
// /metrics, and drains on SIGTERM/SIGINT.
import { availableParallelism } from 'node:os';
import { StartupError } from '../common/errors.ts';
import { createLogger, normalizeLogLevel } from '../common/logger.ts';
import type { ProcessSettings } from '../config/process-settings.ts';
import type { AcceptMode } from '../config/types.ts';
import { AdminServer } from '../admin/admin-server.ts';
import { MetricsServer } from '../admin/metrics-server.ts';
import { createSharedMemory, DEFAULT_STAT_SLOTS, DEFAULT_UPSTREAM_SLOTS } from '../shared/layout.ts';
import { HandoffAcceptor } from './accept-loop.ts';
import { loadMosnConfig } from './config-source.ts';
import { Lifecycle } from './lifecycle.ts';
import { checkPortsFree, type PortClaim } from './port-check.ts';
import { gaugeSlots, SharedPlanner } from './shared-plan.ts';
import { WorkerSupervisor } from './worker-supervisor.ts';
import { waitForWorkers } from './wait-for-workers.ts';
import { VERSION } from './version.ts';

/**
 * handoff balances by live connection count, which keeps a few long-lived connections spread
 * evenly; reuseport saves one thread hop per accept. See README "Accept modes".
 */
export const DEFAULT_ACCEPT_MODE: AcceptMode = 'handoff';

export async function startProxy(settings: ProcessSettings): Promise<void> {
  const { snapshot, warnings, raw } = loadMosnConfig(settings.config);
  let logLevel = snapshot.server.logLevel;
  if (settings.logLevel) {
    const level = normalizeLogLevel(settings.logLevel);
    if (!level) throw new StartupError(`unknown log level "${settings.logLevel}" (trace, debug, info, warn, error, critical, off)`);
    logLevel = level;
  }
  const logger = createLogger({ level: logLevel, destination: snapshot.server.logPath, bindings: { thread: 'main' } });
  for (const w of warnings) logger.warn({ config: snapshot.source, path: w.path }, w.message);

  const workers = settings.workers || snapshot.server.processors || availableParallelism();
  const acceptMode = settings.acceptMode || snapshot.acceptMode || DEFAULT_ACCEPT_MODE;
  const drainTimeoutMs = settings.drainTimeSeconds ? settings.drainTimeSeconds * 1000 : snapshot.server.gracefulTimeoutMs;

  const claims: PortClaim[] = snapshot.listeners.map((l) => ({ what: `listener ${l.name}`, path: `${l.path}.address`, host: l.host, port: l.port }));
  if (snapshot.admin) claims.push({ what: 'the admin API', path: 'admin.address.socket_address', ...snapshot.admin });
  if (snapshot.prometheus) claims.push({ what: 'the prometheus sink', path: 'metrics.sinks[0].config.port', host: snapshot.prometheus.host, port: snapshot.prometheus.port });
  await checkPortsFree(snapshot.source, claims);

  const memory = createSharedMemory({ workers, statSlots: DEFAULT_STAT_SLOTS, upstreamSlots: DEFAULT_UPSTREAM_SLOTS });
  const plan = new SharedPlanner(DEFAULT_STAT_SLOTS, DEFAULT_UPSTREAM_SLOTS).plan(snapshot);
  const supervisor = new WorkerSupervisor({
    count: workers,
    memory,
    snapshot,
    plan,
    acceptMode,
    logLevel,
    logger,
    gaugeSlots: gaugeSlots(plan),
  });
  supervisor.start();
  await waitForWorkers(supervisor, snapshot.source);

  const acceptor = acceptMode === 'handoff' ? new HandoffAcceptor(supervisor, logger) : undefined;
  const lifecycle = new Lifecycle({ supervisor, acceptor, logger, drainTimeoutMs, pidFile: snapshot.pidFile });
  try {
    await acceptor?.listen(snapshot.listeners, snapshot.source);
    const stats = { memory, plan: () => plan, supervisor };
    if (snapshot.admin) {
      const admin = new AdminServer({ ...stats, snapshot, raw, logger, lifecycle, logPath: snapshot.server.logPath, getLogLevel: () => logLevel, setLogLevel: (l) => {
        logLevel = l;
        logger.level = l;
        supervisor.setLogLevel(l);
      } });
      await admin.listen(snapshot.admin.host, snapshot.admin.port);
      lifecycle.own(admin);
    }
    if (snapshot.prometheus) {
      const metrics = new MetricsServer({ ...stats, config: snapshot.prometheus });
      await metrics.listen();
      lifecycle.own(metrics);
    }
  } catch (err) {
    await lifecycle.abort();
    throw err;
  }
  lifecycle.running();
  logger.info(
    {
      version: VERSION,
      node: process.version,
      config: snapshot.source,
      workers,
      acceptMode,
      listeners: snapshot.listeners.map((l) => `${l.name}@${l.host}:${l.port}`),
      admin: snapshot.admin ? `${snapshot.admin.host}:${snapshot.admin.port}` : undefined,
      metrics: snapshot.prometheus ? `${snapshot.prometheus.host}:${snapshot.prometheus.port}${snapshot.prometheus.path}` : undefined,
    },
    'mosn-ts started',
  );
}
