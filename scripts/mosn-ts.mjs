#!/usr/bin/env node
// The `mosn-ts` command. Plain JavaScript so that it starts on any Node: when the Node running
// it is older than 24.20 (no socket transfer to workers, no type stripping), it re-executes
// itself with the Node 24 that `npm install` put in node_modules (npm package `node`).
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 24 || (major === 24 && minor >= 20)) {
  // Node's compile cache also keeps the type-stripped sources: after the first start no thread
  // loads the TypeScript stripper (~14 MB of wasm per thread). Failing to enable it is harmless.
  try {
    module.enableCompileCache(join(root, 'node_modules', '.cache', 'mosn-ts-compile'));
  } catch {}
  await import(pathToFileURL(join(root, 'src', 'control', 'cli.ts')).href);
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    console.error(`mosn-ts needs Node >= 24.20 (this is ${process.version}); run \`npm install\` in ${root} first`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
