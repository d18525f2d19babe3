#!/usr/bin/env node
// The `mosn-ts` command. Plain JavaScript so that it starts on any Node: when the Node running
// it is older than 24.20 (no socket transfer to workers, no type stripping), it re-executes
// itself with the Node 24 that `npm install` put in node_modules (npm package `node`).
import { spawn } from 'node:child_process';
import module from 'node:module';
import os from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 24 || (major === 24 && minor >= 20)) {
  // Node's compile cache also keeps the type-stripped sources: after the first start no thread
  // loads the TypeScript stripper (~14 MB of wasm per thread). Failing to enable it is harmless.
  try {
    const { directory } = module.enableCompileCache(join(root, 'node_modules', '.cache', 'mosn-ts-compile'));
    // worker threads take the cache from the environment they inherit
    if (directory) process.env.NODE_COMPILE_CACHE = directory;
  } catch {}
  await import(pathToFileURL(join(root, 'src', 'control', 'cli.ts')).href);
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    console.error(`mosn-ts needs Node >= 24.20 (this is ${process.version}); run \`npm install\` in ${root} first`);
    process.exit(1);
  }
  // The proxy runs in its own process group and this process passes each signal on once: a
  // Ctrl-C reaches only this process, so the proxy sees one SIGINT (a second one would mean
  // "stop now, skip the drain"), and a SIGTERM sent to this pid still drains the proxy.
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`mosn-ts: cannot start ${pinned}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
}
