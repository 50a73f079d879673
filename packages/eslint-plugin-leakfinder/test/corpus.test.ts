// The quality bar of issue #7 as a test: precision and recall of every rule at least 80% on bench/lint-corpus/
// (bench/lint-score.mjs prints the full table). Each `// leak: <rule>` marker must be reported on its line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import plugin from '../src/index.js';

const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../bench/lint-corpus');

test('every rule reaches 80% precision and recall on the labelled corpus', async () => {
  const files = readdirSync(corpus).filter((f) => /\.[cm]?[jt]s$/.test(f)).sort();
  assert.ok(files.length >= 40, `corpus has ${files.length} files`);
  const expected = new Set<string>();
  for (const file of files) {
    readFileSync(join(corpus, file), 'utf8').split('\n').forEach((line, index) => {
      for (const m of line.matchAll(/\/\/ leak: ([a-z-]+)/g)) expected.add(`${file}:${index + 1}:leakfinder/${m[1]}`);
    });
  }
  const eslint = new ESLint({
    cwd: corpus,
    overrideConfigFile: true,
    overrideConfig: [
      plugin.configs.recommended as Linter.Config,
      { files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser } },
    ],
  });
  const reported = new Set<string>();
  for (const result of await eslint.lintFiles(files)) {
    for (const m of result.messages) {
      assert.notEqual(m.ruleId, null, `${result.filePath}: ${m.message}`);
      reported.add(`${result.filePath.slice(corpus.length + 1)}:${m.line}:${m.ruleId}`);
    }
  }
  const rows: string[] = [];
  for (const rule of Object.keys(plugin.rules).map((r) => `leakfinder/${r}`)) {
    const exp = [...expected].filter((k) => k.endsWith(`:${rule}`));
    const rep = [...reported].filter((k) => k.endsWith(`:${rule}`));
    const tp = rep.filter((k) => expected.has(k)).length;
    const precision = rep.length === 0 ? 1 : tp / rep.length;
    const recall = exp.length === 0 ? 1 : tp / exp.length;
    assert.ok(exp.length > 0, `${rule} has no labelled leak in the corpus`);
    if (precision < 0.8 || recall < 0.8) rows.push(`${rule}: precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}`);
  }
  assert.deepEqual(rows, []);
});
