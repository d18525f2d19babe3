// The MOSN v2 document (reference/mosn.md §1.1–§1.2) -> ConfigSnapshot. Extensions (network
// filters, the router parser) are passed in, so this module knows no filter by name.
import type { ConfigNode } from '../api/config-node.ts';
import type { NetworkFilterFactory } from '../api/filter.ts';
import type { RouterConfig } from '../api/router.ts';
import { ConfigError } from '../common/errors.ts';
import { parseCluster } from './cluster.ts';
import { parseListener } from './listener.ts';
import { parseObservability } from './observability.ts';
import { JsonConfigNode, ReaderContext, type ConfigWarning } from './reader.ts';
import type { AcceptMode, ClusterConfig, ConfigSnapshot, LogLevel, ServerConfig } from './types.ts';

export interface ConfigExtensions {
  networkFilters: ReadonlyMap<string, NetworkFilterFactory>;
  parseRouter(node: ConfigNode): RouterConfig;
}

export interface ParsedConfig {
  snapshot: ConfigSnapshot;
  warnings: ConfigWarning[];
  /** the document as loaded, for the admin config dump */
  raw: unknown;
}

const LOG_LEVELS: Record<string, LogLevel> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  CRITICAL: 'fatal',
  OFF: 'silent',
};

/** MOSN's default graceful_timeout. */
const DEFAULT_GRACEFUL_TIMEOUT_MS = 30_000;

function parseServer(node: ConfigNode): Omit<ServerConfig, never> {
  const name = node.string('mosn_server_name', 'mosn_server');
  const logPath = node.string('default_log_path', 'stdout') || 'stdout';
  const levelText = node.string('default_log_level', 'INFO').toUpperCase();
  const logLevel = LOG_LEVELS[levelText];
  if (!logLevel) node.fail('default_log_level', `unknown level ${JSON.stringify(levelText)} (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)`);
  node.ignore('global_log_roller', 'log rotation is left to the platform (logs go to stdout or a file)');
  node.ignore('use_netpoll_mode', "Node's event loop already is an epoll reactor");
  node.ignore('optimize_local_write', 'MOSN ignores it too');
  const gracefulTimeoutMs = node.duration('graceful_timeout', DEFAULT_GRACEFUL_TIMEOUT_MS);
  let processors: number | undefined;
  const proc = node.raw('processor');
  if (typeof proc === 'number') {
    if (!Number.isInteger(proc) || proc < 1 || proc > 256) node.fail('processor', 'expected an integer in 1..256 or "auto"');
    processors = proc;
  } else if (proc !== undefined && !(typeof proc === 'string' && proc.toLowerCase() === 'auto')) {
    node.fail('processor', 'expected an integer or "auto"');
  }
  return { name, logPath, logLevel, gracefulTimeoutMs, processors };
}

function unique<T>(items: T[], key: (t: T) => string, path: (t: T) => string, what: string): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new ConfigError(path(item), `duplicate ${what} ${JSON.stringify(k)}`);
    seen.set(k, item);
  }
}

function refuseIfSet(node: ConfigNode, key: string, why: string): void {
  const v = node.raw(key);
  const empty = v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  if (!empty) node.fail(key, `not supported: ${why}`);
}

export function parseMosnConfig(raw: unknown, source: string, ext: ConfigExtensions, generation = 1): ParsedConfig {
  const ctx = new ReaderContext();
  const root = JsonConfigNode.root(raw, ctx);

  const servers = root.objects('servers');
  if (servers.length === 0) root.fail('servers', 'exactly one server is required');
  if (servers.length > 1) root.fail('servers', 'MOSN supports exactly one server');
  const serverNode = servers[0]!;
  const server = parseServer(serverNode);
  const listeners = serverNode.objects('listeners').map((l) => parseListener(l, ext.networkFilters));
  const routers = serverNode.objects('routers').map((r) => ext.parseRouter(r));
  // routers declared inline by network filters (MOSN's connection_manager)
  for (const l of listeners) {
    for (const f of l.networkFilters) {
      const declared = ext.networkFilters.get(f.type)?.routerOf?.(f.config);
      if (declared !== undefined) routers.push(declared);
    }
  }
  serverNode.finish();
  unique(listeners, (l) => l.name, (l) => `${l.path}.name`, 'listener name');
  unique(listeners, (l) => `${l.host}:${l.port}`, (l) => `${l.path}.address`, 'listener address');
  unique(routers, (r) => r.name, (r) => `${r.path}.router_config_name`, 'router_config_name');

  let clusters: ClusterConfig[] = [];
  const cm = root.object('cluster_manager');
  if (cm) {
    cm.refuse('clusters_configs', 'load clusters from the main document');
    if (cm.object('tls_context')?.boolean('status', false)) cm.fail('tls_context', 'not supported: upstream TLS is not implemented yet');
    cm.ignore('tls_context', 'TLS is disabled');
    cm.ignore('cluster_pool_enable', 'pools are already per cluster in mosn-ts');
    clusters = cm.objects('clusters').map(parseCluster);
    cm.finish();
  }
  unique(clusters, (c) => c.name, (c) => `${c.path}.name`, 'cluster name');

  const { admin, prometheus } = parseObservability(root);
  const acceptMode = root.optionalOneOf<AcceptMode>('accept_mode', ['handoff', 'reuseport']);

  root.ignore('disable_upgrade', 'smooth upgrade is not implemented yet, so there is nothing to disable');
  root.ignore('close_graceful', 'deprecated alias of disable_upgrade');
  root.ignore('inherit_old_mosnconfig', 'smooth upgrade is not implemented yet');
  root.ignore('uds_dir', 'smooth upgrade is not implemented yet');
  root.ignore('plugin', 'process plugins are not implemented');
  const pidFile = root.string('pid') || undefined;
  refuseIfSet(root, 'third_part_codec', 'third-party codecs (go-plugin/wasm) cannot load into Node');
  refuseIfSet(root, 'extends', 'no `extends` types are implemented');
  refuseIfSet(root, 'wasm_global_plugins', 'Wasm plugins are not implemented');
  refuseIfSet(root, 'dynamic_resources', 'xDS is not implemented yet');
  refuseIfSet(root, 'static_resources', 'xDS is not implemented yet');
  refuseIfSet(root, 'node', 'xDS is not implemented yet');
  const tracing = root.object('tracing');
  if (tracing) {
    if (tracing.boolean('enable', false)) tracing.fail('enable', 'not supported: tracing is not implemented yet');
    tracing.ignore('driver', 'tracing is disabled');
    tracing.ignore('tracer', 'tracing is disabled');
    tracing.ignore('config', 'tracing is disabled');
    tracing.finish();
  }
  const pprof = root.object('pprof');
  if (pprof) {
    if (pprof.boolean('debug', false)) pprof.fail('debug', 'not supported: Go pprof has no Node equivalent here (use --cpu-prof)');
    pprof.ignore('port_value', 'pprof is off');
    pprof.ignore('endpoint', 'pprof is off');
    pprof.finish();
  }
  root.finish();

  const clusterNames = new Set(clusters.map((c) => c.name));
  const routerNames = new Set(routers.map((r) => r.name));
  for (const ref of ctx.references) {
    const known = ref.kind === 'cluster' ? clusterNames : routerNames;
    if (!known.has(ref.name)) {
      const list = [...known].join(', ') || 'none';
      throw new ConfigError(ref.path, `unknown ${ref.kind} ${JSON.stringify(ref.name)} (defined: ${list})`);
    }
  }

  const snapshot: ConfigSnapshot = {
    generation,
    source,
    server,
    acceptMode,
    listeners,
    routers,
    clusters,
    admin,
    prometheus,
    pidFile,
  };
  return { snapshot, warnings: ctx.warnings, raw };
}
