// Enforces DESIGN.md's layering: a folder of src/ imports only from lower tiers (and api/).
// Type-only imports may also reach the same tier (no runtime coupling); nothing imports upward.
// worker/ and control/ (the two composition roots) never import each other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

const TIER: Record<string, number> = {
  api: 0,
  common: 1,
  config: 2,
  shared: 2,
  metrics: 2,
  ipc: 2,
  network: 3,
  protocol: 3,
  router: 3,
  stream: 4,
  upstream: 4,
  pool: 5,
  proxy: 6,
  // Above proxy/: the `proxy` network filter builds the L7 proxy (as MOSN's
  // pkg/filter/network/proxy uses pkg/proxy); proxy/ never imports a filter.
  filters: 6.5,
  worker: 7,
  control: 7,
  admin: 7,
};
/** Folders of the same tier that may use each other (the control plane and its admin API). */
const FRIENDS = new Set(['control>admin', 'admin>control']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string | undefined {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  const first = rel.split('/')[0]!;
  return first.endsWith('.ts') ? '(root)' : first;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
const problems: string[] = [];

for (const file of [...walk(SRC), ...walk(join(ROOT, 'workers'))]) {
  const from = folderOf(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4]!;
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const to = folderOf(target);
    const typeOnly = m[2] !== undefined;
    const where = `${relative(ROOT, file)} imports ${spec}`;
    if (from === undefined) {
      // workers/: only the worker root, ipc and api
      if (to !== 'worker' && to !== 'ipc' && to !== 'api') problems.push(`${where}: worker entry points may import only src/worker, src/ipc, src/api`);
      continue;
    }
    if (to === undefined) {
      problems.push(`${where}: src/ must not import outside src/`);
      continue;
    }
    if (from === to || to === 'api' || from === '(root)') continue;
    if (to === '(root)') {
      if (from !== 'worker' && from !== 'control') problems.push(`${where}: only composition roots use src/extensions.ts`);
      continue;
    }
    if ((from === 'worker' && to === 'control') || (from === 'control' && to === 'worker')) {
      problems.push(`${where}: worker/ and control/ must not import each other (share ipc/ and api/)`);
      continue;
    }
    const a = TIER[from];
    const b = TIER[to];
    if (a === undefined || b === undefined) {
      problems.push(`${where}: folder ${a === undefined ? from : to} has no tier in scripts/check-layers.ts`);
      continue;
    }
    if (b < a || FRIENDS.has(`${from}>${to}`) || (typeOnly && b === a)) continue;
    problems.push(`${where}: ${from} (tier ${a}) may not import ${to} (tier ${b})`);
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`${problems.length} layer violation(s)`);
  process.exit(1);
}
console.log('layers ok');
