// Scores eslint-plugin-leakfinder against the labelled corpus in bench/lint-corpus/ (see its README.md):
// precision and recall per rule and overall, counting (file, line, rule) triples.
// Usage: npm run build && node bench/lint-score.mjs [--verbose] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import leakfinder from 'eslint-plugin-leakfinder';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, 'lint-corpus');
const verbose = process.argv.includes('--verbose');
const asJson = process.argv.includes('--json');

const files = readdirSync(corpus).filter((f) => /\.[cm]?[jt]s$/.test(f)).sort().map((f) => join(corpus, f));
const expected = new Set();
const ruleNames = Object.keys(leakfinder.rules).map((r) => `leakfinder/${r}`);
for (const file of files) {
  readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    for (const m of line.matchAll(/\/\/ leak: ([a-z-]+)/g)) {
      const rule = `leakfinder/${m[1]}`;
      if (!ruleNames.includes(rule)) throw new Error(`${relative(here, file)}:${index + 1}: unknown rule ${m[1]} in marker`);
      expected.add(`${relative(corpus, file)}:${index + 1}:${rule}`);
    }
  });
}

const eslint = new ESLint({
  cwd: corpus,
  overrideConfigFile: true,
  overrideConfig: [
    leakfinder.configs.recommended,
    { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser } },
  ],
});
const started = performance.now();
const results = await eslint.lintFiles(files);
const elapsedMs = performance.now() - started;

const reported = new Set();
const parseErrors = [];
for (const result of results) {
  for (const m of result.messages) {
    if (m.ruleId === null) parseErrors.push(`${relative(corpus, result.filePath)}:${m.line}: ${m.message}`);
    else reported.add(`${relative(corpus, result.filePath)}:${m.line}:${m.ruleId}`);
  }
}

const ratio = (a, b) => (b === 0 ? 1 : a / b);
// Files named holdout-*/holdout2-* were written after the rules, and scored before changing the rules for them;
// the other files were written first but the rules were developed against them.
// holdout2-* is a second blind batch, written after the fixes that the first one prompted.
const subsets = {
  all: () => true,
  design: (k) => !k.startsWith('holdout'),
  holdout: (k) => k.startsWith('holdout-'),
  holdout2: (k) => k.startsWith('holdout2-'),
};
function score(rule, inSubset) {
  const pick = (set) => [...set].filter((k) => inSubset(k) && (rule === 'overall' || k.endsWith(`:${rule}`)));
  const exp = new Set(pick(expected));
  const rep = new Set(pick(reported));
  const tp = [...rep].filter((k) => exp.has(k));
  const fp = [...rep].filter((k) => !exp.has(k));
  const fn = [...exp].filter((k) => !rep.has(k));
  return { rule: rule.replace('leakfinder/', ''), expected: exp.size, tp: tp.length, fp: fp.length, fn: fn.length,
    precision: ratio(tp.length, tp.length + fp.length), recall: ratio(tp.length, tp.length + fn.length), fpList: fp, fnList: fn };
}
const rows = [...ruleNames, 'overall'].map((rule) => score(rule, subsets.all));
const subsetRows = Object.fromEntries(Object.entries(subsets).map(([name, f]) => [name, score('overall', f)]));
const fileCount = (f) => files.filter((file) => f(relative(corpus, file))).length;

if (asJson) {
  process.stdout.write(`${JSON.stringify({ files: files.length, elapsedMs, parseErrors, rows, subsets: subsetRows }, null, 2)}\n`);
} else {
  const pct = (x) => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log(`corpus: ${files.length} files, ${expected.size} labelled leaks, linted in ${elapsedMs.toFixed(0)} ms`);
  console.log(`${'rule'.padEnd(30)} ${'leaks'.padStart(5)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)} precision  recall`);
  for (const r of rows) {
    console.log(`${r.rule.padEnd(30)} ${String(r.expected).padStart(5)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)} ${pct(r.precision)} ${pct(r.recall)}`);
  }
  for (const [name, r] of Object.entries(subsetRows)) {
    console.log(`${`overall, ${name} set (${fileCount(subsets[name])} files)`.padEnd(30)} ${String(r.expected).padStart(5)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)} ${pct(r.precision)} ${pct(r.recall)}`);
  }
  const overall = rows.at(-1);
  if (verbose || overall.fp + overall.fn > 0) {
    for (const k of overall.fpList) console.log(`  false positive: ${k}`);
    for (const k of overall.fnList) console.log(`  false negative: ${k}`);
  }
  for (const e of parseErrors) console.log(`  parse error: ${e}`);
}
