// MOSN's admin API (reference/mosn.md §6.2) on admin.address: version, config_dump, stats,
// stats_glob, states, get_loglevel, update_loglevel. With MOSN_TS_DEBUG_API=1 it also has
// POST /debug/crash_worker?index=N, used by tests to kill a worker thread.
import { normalizeLogLevel } from '../common/logger.ts';
import type { Logger } from '../api/logger.ts';
import type { ConfigSnapshot, LogLevel } from '../config/types.ts';
import { VERSION } from '../control/version.ts';
import { configDump } from './config-dump.ts';
import { methodNotAllowed, SmallHttpServer, type Handler, type Reply } from './http-server.ts';
import { statsGlob, statsJson } from './stats-json.ts';
import { readFamilies, type StatsSources } from './stats-source.ts';

export interface AdminOptions extends StatsSources {
  snapshot: ConfigSnapshot;
  raw: unknown;
  logger: Logger;
  logPath: string;
  lifecycle: { readonly stage: number };
  supervisor: StatsSources['supervisor'] & { post(index: number, msg: { type: 'crash' }): boolean };
  getLogLevel(): LogLevel;
  setLogLevel(level: LogLevel): void;
}

const MOSN_LEVEL_NAMES: Record<LogLevel, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
  silent: 'OFF',
};

const get = (h: Handler): Handler => (req, url, body) => (req.method === 'GET' ? h(req, url, body) : methodNotAllowed());
const post = (h: Handler): Handler => (req, url, body) => (req.method === 'POST' ? h(req, url, body) : methodNotAllowed());

export class AdminServer {
  readonly #server: SmallHttpServer;

  constructor(o: AdminOptions) {
    const routes = new Map<string, Handler>();
    routes.set('/api/v1/version', get(() => ({ status: 200, body: `mosn version: ${VERSION} (mosn-ts, node ${process.version})` })));
    routes.set('/api/v1/config_dump', get((_r, url) => configDump(o.raw, url.searchParams)));
    routes.set(
      '/api/v1/stats',
      get((_r, url) => {
        const keys = [...new Set(url.searchParams.keys())];
        if (keys.length > 1 || (keys.length === 1 && keys[0] !== 'key')) return { status: 400, body: 'only support one parameter' };
        const key = url.searchParams.get('key');
        const body = statsJson(readFamilies(o), key);
        // MOSN answers 200 with this text for a metric set it does not have
        if (key !== null && Object.keys(body).length === 0) return { status: 200, body: `no metrics key: ${key}` };
        return { status: 200, type: 'application/json', body: `${JSON.stringify(body, null, '\t')}\n` };
      }),
    );
    routes.set('/api/v1/stats_glob', get(() => ({ status: 200, body: statsGlob(readFamilies(o)) })));
    routes.set('/api/v1/states', get(() => ({ status: 200, body: `pid=${process.pid}&state=${o.lifecycle.stage}\n` })));
    routes.set(
      '/api/v1/get_loglevel',
      get(() => ({ status: 200, type: 'application/json', body: JSON.stringify({ [o.logPath]: MOSN_LEVEL_NAMES[o.getLogLevel()] }) })),
    );
    routes.set('/api/v1/update_loglevel', post((_r, _u, body) => this.#updateLogLevel(o, body)));
    if (process.env['MOSN_TS_DEBUG_API'] === '1') {
      routes.set(
        '/debug/crash_worker',
        post((_r, url) => {
          const index = Number(url.searchParams.get('index') ?? '0');
          return o.supervisor.post(index, { type: 'crash' }) ? { status: 200, body: `crashing worker ${index}\n` } : { status: 404, body: 'no such worker\n' };
        }),
      );
    }
    routes.set('/', get(() => ({ status: 200, body: `supported APIs:\n${[...routes.keys()].filter((k) => k !== '/').join('\n')}\n` })));
    this.#server = new SmallHttpServer((path) => routes.get(path));
  }

  #updateLogLevel(o: AdminOptions, body: string): Reply {
    const bad: Reply = { status: 400, body: '{\n\t"error": "update logger failed"\n}\n' };
    let data: { log_path?: unknown; log_level?: unknown };
    try {
      data = JSON.parse(body) as typeof data;
    } catch {
      return bad;
    }
    if (typeof data.log_level !== 'string') return bad;
    const level = normalizeLogLevel(data.log_level);
    // MOSN matches the logger by its path; mosn-ts has one error logger (default_log_path).
    if (!level || (data.log_path !== undefined && data.log_path !== '' && data.log_path !== o.logPath)) return bad;
    o.setLogLevel(level);
    o.logger.info({ level }, 'log level updated through the admin API');
    return { status: 200, body: 'update logger success\n' };
  }

  listen(host: string, port: number): Promise<void> {
    return this.#server.listen(host, port, 'the admin API');
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}
