// `mosn-ts` command line, in MOSN's shape:
//   mosn-ts start -c <file> [--workers N] [--accept-mode handoff|reuseport] [--log-level L] [--drain-time-s S]
//   mosn-ts validate -c <file>     load and check only; exit 0 (valid) or 1
//   mosn-ts version
import { parseArgs } from 'node:util';
import { ConfigError, StartupError, errorMessage } from '../common/errors.ts';
import { ConfigLoadError } from '../config/load.ts';
import { resolveProcessSettings, type CliFlags } from '../config/process-settings.ts';
import { loadMosnConfig } from './config-source.ts';
import { startProxy } from './start.ts';
import { VERSION } from './version.ts';

const USAGE = `usage:
  mosn-ts start -c <config.json|yaml> [--workers N] [--accept-mode handoff|reuseport] [--log-level LEVEL] [--drain-time-s S]
  mosn-ts validate -c <config.json|yaml>
  mosn-ts version
environment: MOSN_CONFIG, MOSN_TS_WORKERS, MOSN_TS_ACCEPT_MODE, LOG_LEVEL, MOSN_DRAIN_TIME_S`;

function fail(message: string, code = 1): never {
  process.stderr.write(`mosn-ts: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        workers: { type: 'string' },
        'accept-mode': { type: 'string' },
        'log-level': { type: 'string' },
        'drain-time-s': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${errorMessage(err)}\n${USAGE}`, 2);
  }
  const command = parsed.positionals[0] ?? (parsed.values.help ? 'help' : '');
  if (command === 'version') {
    process.stdout.write(`mosn-ts version ${VERSION} (node ${process.version})\n`);
    return;
  }
  if (command === 'help' || command === '') {
    process.stdout.write(`${USAGE}\n`);
    if (command === '') process.exit(2);
    return;
  }
  if (command !== 'start' && command !== 'validate') fail(`unknown command "${command}"\n${USAGE}`, 2);
  if (parsed.positionals.length > 1) fail(`unexpected argument "${parsed.positionals[1]}"\n${USAGE}`, 2);

  const { help: _help, ...flags } = parsed.values;
  let settings;
  try {
    settings = resolveProcessSettings(flags as CliFlags);
  } catch (err) {
    fail(err instanceof ConfigError ? `invalid setting: ${err.reason}` : errorMessage(err), 2);
  }
  if (!settings.config) fail(`no config file: pass -c <file> or set MOSN_CONFIG\n${USAGE}`, 2);

  if (command === 'validate') {
    try {
      const { snapshot, warnings } = loadMosnConfig(settings.config);
      for (const w of warnings) process.stderr.write(`mosn-ts: warning: ${settings.config}: ${w.path}: ${w.message}\n`);
      process.stdout.write(
        `${settings.config}: ok (${snapshot.listeners.length} listeners, ${snapshot.clusters.length} clusters, ${snapshot.routers.length} routers)\n`,
      );
    } catch (err) {
      fail(errorMessage(err));
    }
    return;
  }

  try {
    await startProxy(settings);
  } catch (err) {
    if (err instanceof ConfigLoadError || err instanceof StartupError) fail(err.message);
    fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
}

await main(process.argv.slice(2));
