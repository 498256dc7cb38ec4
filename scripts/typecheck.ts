// Type-checks each layer with its own tsconfig: DOM types only where there is a DOM, Node types only
// where there is Node. Uses the native TypeScript 7 compiler (package alias `tsc-native`); the
// `typescript` package (5.x) is there for tools that need its JavaScript API (dependency-cruiser).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const LAYERS = ['protocol', 'server', 'renderer', 'electron', 'electron/preload', 'electron/pages', '.'];
const tsc = join(dirname(createRequire(import.meta.url).resolve('tsc-native/package.json')), 'bin/tsc');

let failed = 0;
for (const layer of LAYERS) {
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', layer], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.error(`typecheck: ${layer === '.' ? 'scripts, test and configs' : layer} has type errors`);
  }
}
if (failed) process.exit(1);
console.log(`typecheck: ${LAYERS.length} layers clean`);
