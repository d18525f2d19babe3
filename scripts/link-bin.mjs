// Links this package's own `mosn-ts` bin into node_modules/.bin, which npm does only for
// dependencies. Tools such as ../shared/bench/proxy-bench.sh start `node_modules/.bin/mosn-ts`.
// Plain JavaScript on purpose: npm may run it with the system Node before Node 24 is on PATH.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'mosn-ts');
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync('../../scripts/mosn-ts', link);
