// Process settings that are not part of the MOSN document: which config to load, how many
// workers, the accept mode, the log level and the drain time. Command-line flags win over
// environment variables, which win over the config file, which wins over defaults (convict's
// precedence: defaults < load() < env < args).
import convict from 'convict';
import { ConfigError } from '../common/errors.ts';
import { normalizeLogLevel } from '../common/logger.ts';

export interface ProcessSettings {
  config: string;
  /** 0 = decided by the config's `processor`, else one per core */
  workers: number;
  acceptMode: '' | 'handoff' | 'reuseport';
  logLevel: string;
  /** 0 = use the config's graceful_timeout */
  drainTimeSeconds: number;
}

const schema = {
  config: { doc: 'MOSN v2 config file (JSON or YAML)', format: String, default: '', env: 'MOSN_CONFIG', arg: 'config' },
  workers: {
    doc: 'data-plane worker threads (0: servers[0].processor, else one per CPU core)',
    format: 'nat',
    default: 0,
    env: 'MOSN_TS_WORKERS',
    arg: 'workers',
  },
  acceptMode: {
    doc: 'handoff (main thread accepts, hands sockets to the least loaded worker) or reuseport (each worker binds)',
    format: ['', 'handoff', 'reuseport'],
    default: '',
    env: 'MOSN_TS_ACCEPT_MODE',
    arg: 'accept-mode',
  },
  logLevel: { doc: 'log level (trace…critical, off)', format: String, default: '', env: 'LOG_LEVEL', arg: 'log-level' },
  drainTimeSeconds: {
    doc: 'seconds to let connections finish on SIGTERM (0: graceful_timeout from the config)',
    format: 'nat',
    default: 0,
    env: 'MOSN_DRAIN_TIME_S',
    arg: 'drain-time-s',
  },
} as const;

export type CliFlags = Partial<Record<'config' | 'workers' | 'accept-mode' | 'log-level' | 'drain-time-s', string>>;

type FlagName = keyof CliFlags;

const ENV_OF: Record<FlagName, string> = {
  config: 'MOSN_CONFIG',
  workers: 'MOSN_TS_WORKERS',
  'accept-mode': 'MOSN_TS_ACCEPT_MODE',
  'log-level': 'LOG_LEVEL',
  'drain-time-s': 'MOSN_DRAIN_TIME_S',
};

/** What each value must look like; convict alone would turn "1.5" or "3x" into a number. */
const CHECKS: Partial<Record<FlagName, { ok: (v: string) => boolean; expected: string }>> = {
  workers: { ok: (v) => /^\d{1,4}$/.test(v.trim()), expected: 'a whole number >= 0 (0: one per CPU core)' },
  'drain-time-s': { ok: (v) => /^\d{1,6}$/.test(v.trim()), expected: 'a whole number of seconds >= 0' },
  'accept-mode': { ok: (v) => v === '' || v === 'handoff' || v === 'reuseport', expected: 'handoff or reuseport' },
  'log-level': { ok: (v) => v === '' || normalizeLogLevel(v) !== undefined, expected: 'trace, debug, info, warn, error, critical or off' },
};

export function resolveProcessSettings(flags: CliFlags, env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  for (const name of Object.keys(ENV_OF) as FlagName[]) {
    const check = CHECKS[name];
    const fromFlag = flags[name];
    const value = fromFlag ?? env[ENV_OF[name]];
    if (!check || value === undefined || check.ok(value)) continue;
    const source = fromFlag !== undefined ? `--${name}` : ENV_OF[name];
    throw new ConfigError('', `${source}: expected ${check.expected}, got ${JSON.stringify(value)}`);
  }
  const args: string[] = [];
  for (const [name, value] of Object.entries(flags)) if (value !== undefined) args.push(`--${name}`, value);
  const cfg = convict(schema, { args, env });
  try {
    cfg.validate({ allowed: 'strict' });
  } catch (err) {
    throw new ConfigError('', (err as Error).message.split('\n')[0]!);
  }
  return cfg.getProperties() as ProcessSettings;
}
