// Runs the compiled tests with node:test. Node 20's `node --test` takes no globs and, given a folder,
// would also run every .js under a `test/` folder (fixtures, helpers), so we pass the exact files.
// Usage: node scripts/run-tests.mjs [--quality] [filter]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const quality = args.includes('--quality');
const filter = args.find((a) => !a.startsWith('--'));
const suffix = quality ? '.quality.js' : '.test.js';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') walk(path, out);
    } else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

const files = [];
for (const pkg of readdirSync('packages')) {
  const dist = join('packages', pkg, 'dist');
  try { statSync(dist); } catch { continue; }
  walk(dist, files);
}
const selected = files.filter((f) => filter === undefined || f.includes(filter)).sort();
if (selected.length === 0) {
  console.error(`run-tests: no ${suffix} files found under packages/*/dist (did the build run?)`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
