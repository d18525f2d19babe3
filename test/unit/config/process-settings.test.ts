import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/common/errors.ts';
import { resolveProcessSettings, type CliFlags } from '../../../src/config/process-settings.ts';

function reasonOf(flags: CliFlags, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveProcessSettings(flags, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.reason;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveProcessSettings', () => {
  it('defaults', () => {
    expect(resolveProcessSettings({}, {})).toEqual({ config: '', workers: 0, acceptMode: '', logLevel: '', drainTimeSeconds: 0 });
  });

  it('reads the environment', () => {
    const env = { MOSN_CONFIG: 'a.json', MOSN_TS_WORKERS: '3', MOSN_TS_ACCEPT_MODE: 'reuseport', LOG_LEVEL: 'debug', MOSN_DRAIN_TIME_S: '7' };
    expect(resolveProcessSettings({}, env)).toEqual({ config: 'a.json', workers: 3, acceptMode: 'reuseport', logLevel: 'debug', drainTimeSeconds: 7 });
  });

  it('flags win over the environment', () => {
    const env = { MOSN_CONFIG: 'a.json', MOSN_TS_WORKERS: '3', MOSN_TS_ACCEPT_MODE: 'reuseport', LOG_LEVEL: 'debug' };
    const flags = { config: 'b.json', workers: '1', 'accept-mode': 'handoff', 'log-level': 'warn', 'drain-time-s': '2' };
    expect(resolveProcessSettings(flags, env)).toEqual({ config: 'b.json', workers: 1, acceptMode: 'handoff', logLevel: 'warn', drainTimeSeconds: 2 });
  });

  it.each<[CliFlags, NodeJS.ProcessEnv, string]>([
    [{ workers: 'abc' }, {}, '--workers: expected a whole number >= 0 (0: one per CPU core), got "abc"'],
    [{ workers: '1.5' }, {}, '--workers: expected a whole number >= 0 (0: one per CPU core), got "1.5"'],
    [{ workers: '-1' }, {}, '--workers: expected a whole number >= 0 (0: one per CPU core), got "-1"'],
    [{ workers: '3x' }, {}, '--workers: expected a whole number >= 0 (0: one per CPU core), got "3x"'],
    [{}, { MOSN_TS_WORKERS: 'many' }, 'MOSN_TS_WORKERS: expected a whole number >= 0 (0: one per CPU core), got "many"'],
    [{ 'accept-mode': 'foo' }, {}, '--accept-mode: expected handoff or reuseport, got "foo"'],
    [{}, { MOSN_TS_ACCEPT_MODE: 'fork' }, 'MOSN_TS_ACCEPT_MODE: expected handoff or reuseport, got "fork"'],
    [{ 'log-level': 'loud' }, {}, '--log-level: expected trace, debug, info, warn, error, critical or off, got "loud"'],
    [{}, { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: expected trace, debug, info, warn, error, critical or off, got "verbose"'],
    [{ 'drain-time-s': '1s' }, {}, '--drain-time-s: expected a whole number of seconds >= 0, got "1s"'],
  ])('%j %j is refused', (flags, env, reason) => {
    expect(reasonOf(flags, env)).toBe(reason);
  });

  it('a bad environment value is not reported when a flag overrides it', () => {
    expect(resolveProcessSettings({ workers: '2' }, { MOSN_TS_WORKERS: 'many' }).workers).toBe(2);
  });

  it('log levels use MOSN spellings in any case', () => {
    for (const l of ['TRACE', 'Debug', 'info', 'WARNING', 'critical', 'OFF']) expect(resolveProcessSettings({ 'log-level': l }, {}).logLevel).toBe(l);
  });
});
