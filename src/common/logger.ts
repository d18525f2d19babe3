// pino loggers: JSON lines, written asynchronously (sonic-boom on the file descriptor, no extra
// thread), one logger per thread tagged with the thread's role.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../api/logger.ts';

export type { PinoLogger };

export interface LoggerOptions {
  level: LogLevel;
  /** "stdout", "stderr" or a file path (MOSN's default_log_path) */
  destination: string;
  bindings: Record<string, unknown>;
}

function openDestination(dest: string): DestinationStream {
  if (dest === 'stdout' || dest === '') return pino.destination({ dest: 1, sync: false });
  if (dest === 'stderr') return pino.destination({ dest: 2, sync: false });
  return pino.destination({ dest, sync: false, mkdir: true, append: true });
}

export function createLogger(opts: LoggerOptions): PinoLogger {
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid, ...opts.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    openDestination(opts.destination),
  );
}

/** MOSN/LOG_LEVEL spellings (trace … critical, off) to pino levels; undefined if unknown. */
export function normalizeLogLevel(text: string): LogLevel | undefined {
  const map: Record<string, LogLevel> = {
    trace: 'trace',
    debug: 'debug',
    info: 'info',
    warn: 'warn',
    warning: 'warn',
    error: 'error',
    fatal: 'fatal',
    critical: 'fatal',
    off: 'silent',
    silent: 'silent',
  };
  return map[text.toLowerCase()];
}
