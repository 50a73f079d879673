// The layer rules of docs/architecture.md, checked by reading every import of src/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

type Layer = 'shared' | 'snapshot' | 'inspector' | 'detect' | 'runner' | 'compose' | 'report' | 'assert' | 'cli' | 'index';

const composeFolders = ['check', 'watch', 'analyze', 'sources'];

function layerOf(file: string): Layer {
  const rel = relative(srcDir, file).replaceAll('\\', '/');
  if (rel === 'errors.ts' || rel === 'units.ts' || rel === 'version.ts') return 'shared';
  if (rel === 'index.ts') return 'index';
  const top = rel.split('/')[0]!;
  // One folder per use case composes the layers: check/, watch/, analyze/, and sources/ (creation sites
  // mapped to the user's source), which check, watch and analyze share.
  if (composeFolders.includes(top)) return 'compose';
  if (['snapshot', 'inspector', 'detect', 'runner', 'report', 'assert', 'cli'].includes(top)) return top as Layer;
  throw new Error(`no layer for ${rel}: add it to the table in test/architecture.test.ts`);
}

const allowed: Record<Layer, readonly Layer[]> = {
  shared: [],
  snapshot: ['shared'],
  inspector: ['shared'],
  detect: ['snapshot', 'shared'],
  runner: ['inspector', 'shared'],
  compose: ['snapshot', 'inspector', 'detect', 'runner', 'shared', 'compose'],
  report: ['shared'], // plus `import type` from detect and snapshot, checked below
  // assert/ measures inside the test's own process: it is its own runner (an in-process inspector session,
  // in-process snapshots), so it composes the engine pieces as check/ does, minus runner/ (no child process).
  assert: ['index', 'report', 'shared', 'compose', 'snapshot', 'inspector', 'detect'],
  cli: ['index', 'report', 'shared', 'compose', 'snapshot', 'cli'],
  index: ['shared', 'snapshot', 'compose', 'report', 'detect', 'inspector', 'runner'],
};

// Packages each layer may import from node_modules (node: built-ins are always allowed).
const allowedPackages: Partial<Record<Layer, readonly string[]>> = {
  inspector: ['ws', 'devtools-protocol'],
  // ws: a `--scenario` gets the `WebSocket` class to drive websocket servers (Node 20 has no global one).
  runner: ['ws'],
  detect: ['@jridgewell/trace-mapping'],
  compose: ['@jridgewell/trace-mapping'],
  // @typescript-eslint/parser: `lint` parses TypeScript files without requiring the user's ESLint setup.
  cli: ['eslint', 'eslint-plugin-leakfinder', '@typescript-eslint/parser', 'playwright-core'],
  report: [],
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.quality.ts') && !name.endsWith('.d.ts')) out.push(path); // tests may use test/helpers
  }
  return out;
}

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?\sfrom\s+'([^']+)'/gm)) {
    found.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

test('every import in src/ follows the layer table of docs/architecture.md', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const from = layerOf(file);
    for (const { specifier, typeOnly } of importsOf(file)) {
      if (specifier.startsWith('node:')) continue;
      const rel = relative(srcDir, file).replaceAll('\\', '/');
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
        const to = layerOf(target);
        if (to === from) continue;
        if (from === 'report' && typeOnly && (to === 'detect' || to === 'snapshot')) continue;
        // check() returns the report model (report/model.ts), so compose may name its types, never its code.
        if (from === 'compose' && typeOnly && relative(srcDir, target).replaceAll('\\', '/') === 'report/model.ts') continue;
        if (!allowed[from].includes(to)) {
          violations.push(`${rel} → ${relative(srcDir, target)}: ${from} may import ${allowed[from].join(', ') || 'nothing in src/'}`);
        }
      } else {
        const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (typeOnly && pkg === 'devtools-protocol') continue;
        if (!(allowedPackages[from] ?? []).includes(pkg)) {
          violations.push(`${rel} → ${pkg}: ${from} may not import packages other than ${(allowedPackages[from] ?? []).join(', ') || 'node built-ins'}`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('library code outside cli/ never exits the process', () => {
  const offenders = sourceFiles(srcDir)
    .filter((f) => !relative(srcDir, f).startsWith('cli'))
    .filter((f) => /process\.exit\(|process\.exitCode\s*=/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(srcDir, f));
  assert.deepEqual(offenders, []);
});
