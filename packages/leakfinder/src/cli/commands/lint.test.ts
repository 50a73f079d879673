import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { main } from '../main.js';

const root = mkdtempSync(join(tmpdir(), 'leakfinder-lint-'));
after(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (onChunk: (s: string) => void) => new Writable({ write(chunk, _enc, done) { onChunk(String(chunk)); done(); } });
  const code = await main(['lint', ...args], {
    stdout: sink((s) => { stdout += s; }),
    stderr: sink((s) => { stderr += s; }),
    stderrIsTty: false,
    signal: new AbortController().signal,
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
}

const leakyExpress = [
  "const express = require('express');",
  'const app = express();',
  'const visits = [];',
  "app.get('/', (req, res) => {",
  '  visits.push(req.ip);',
  "  res.send('ok');",
  '});',
  '',
].join('\n');
const leakyTs = [
  "import Fastify from 'fastify';",
  'const app = Fastify();',
  "app.get('/u/:id', async (request: { params: { id: string } }) => {",
  '  const pool = new Pool({ max: 1 });',
  '  return pool.query(request.params.id);',
  '});',
  '',
].join('\n');
const clean = "import http from 'node:http';\nhttp.createServer((req, res) => res.end('ok')).listen(3000);\n";

const mixed = project('mixed', {
  'src/server.cjs': leakyExpress,
  'src/routes/users.ts': leakyTs,
  'src/clean.mjs': clean,
  'src/broken.ts': 'const x: = 1;\nexport {};\n',
  'src/types.d.ts': 'declare const leak: string[];\n',
  'node_modules/dep/index.js': leakyExpress,
  'dist/server.js': leakyExpress,
  'coverage/lcov-report/prettify.js': leakyExpress,
  '.next/server/app.js': leakyExpress,
  'src/server.test.js': leakyExpress,
  'test/fixtures/leaky-server.js': leakyExpress,
  'README.md': '# not code\n',
});

test('lint prints ESLint-style text for the findings, reports the unparsable file, and exits 1', async () => {
  const { code, stdout, stderr } = await run(['src'], mixed);
  assert.equal(code, 1);
  assert.equal(stderr, '');
  assert.match(stdout, /^src\/server\.cjs\n {2}5:3 {2}error {2}`visits` lives as long as the process.*leakfinder\/no-module-state-per-request$/m);
  assert.match(stdout, /^src\/routes\/users\.ts\n {2}4:16 {2}error .*leakfinder\/no-client-per-request$/m);
  assert.match(stdout, /^src\/broken\.ts\n {2}1:9 {2}error {2}Parsing error: Type expected\.$/m);
  assert.doesNotMatch(stdout, /clean\.mjs|types\.d\.ts/);
  assert.match(stdout, /✖ 3 problems \(4 files linted, 1 file could not be parsed\)/);
});

test('lint checks files outside the working directory too (ESLint would ignore them)', async () => {
  const elsewhere = project('elsewhere', { 'notes/.keep': '' });
  const { code, stdout } = await run(['--format', 'json', '../mixed/src/server.cjs'], elsewhere);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as { findings: Array<{ file: string; ruleId: string }> };
  assert.deepEqual(report.findings.map((f) => [f.file, f.ruleId]), [['../mixed/src/server.cjs', 'leakfinder/no-module-state-per-request']]);
});

test('lint skips node_modules, dist, coverage, hidden and test directories when walking a directory', async () => {
  const { stdout } = await run(['--format', 'json'], mixed);
  const report = JSON.parse(stdout) as { findings: Array<{ file: string }> };
  assert.deepEqual([...new Set(report.findings.map((f) => f.file))].sort(), ['src/routes/users.ts', 'src/server.cjs']);
  const withTests = JSON.parse((await run(['--format', 'json', '--include-tests'], mixed)).stdout) as typeof report;
  assert.deepEqual([...new Set(withTests.findings.map((f) => f.file))].sort(),
    ['src/routes/users.ts', 'src/server.cjs', 'src/server.test.js', 'test/fixtures/leaky-server.js']);
  const named = JSON.parse((await run(['--format', 'json', 'src/server.test.js'], mixed)).stdout) as typeof report;
  assert.equal(named.findings.length, 1);
});

test('lint --format json gives findings with rule, position and message, and the parse errors', async () => {
  const { code, stdout } = await run(['--format', 'json', 'src'], mixed);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as {
    schemaVersion: number; command: string;
    summary: { filesLinted: number; filesUnparsable: number; findingCount: number };
    findings: Array<{ file: string; ruleId: string; line: number; column: number; message: string }>;
    parseErrors: Array<{ file: string; line: number; column: number; message: string }>;
  };
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.command, 'lint');
  assert.deepEqual(report.summary, { filesLinted: 3, filesUnparsable: 1, findingCount: 2 });
  assert.deepEqual(report.findings.map((f) => [f.file, f.ruleId, f.line, f.column]), [
    ['src/routes/users.ts', 'leakfinder/no-client-per-request', 4, 16],
    ['src/server.cjs', 'leakfinder/no-module-state-per-request', 5, 3],
  ]);
  assert.equal(report.parseErrors.length, 1);
  assert.equal(report.parseErrors[0]!.file, 'src/broken.ts');
  assert.equal(report.parseErrors[0]!.line, 1);
  assert.match(report.parseErrors[0]!.message, /Parsing error/);
});

test('lint --format sarif writes a SARIF 2.1.0 log that code scanning can read', async () => {
  const { code, stdout } = await run(['--format', 'sarif', 'src'], mixed);
  assert.equal(code, 1);
  const log = JSON.parse(stdout) as {
    version: string; $schema: string;
    runs: Array<{
      tool: { driver: { name: string; rules: Array<{ id: string; helpUri: string; help: { text: string }; shortDescription: { text: string } }> } };
      originalUriBaseIds: Record<string, { uri: string }>;
      invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }>;
      results: Array<{
        ruleId: string; ruleIndex: number; level: string; message: { text: string };
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }>;
      }>;
    }>;
  };
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  const run0 = log.runs[0]!;
  assert.equal(run0.tool.driver.name, 'leakfinder');
  const ruleIds = run0.tool.driver.rules.map((r) => r.id);
  assert.ok(ruleIds.includes('leakfinder/no-module-state-per-request'));
  for (const rule of run0.tool.driver.rules) {
    assert.match(rule.helpUri, /^https:\/\/.+\/docs\/rules\/[a-z-]+\.md$/);
    assert.ok(rule.help.text.length > 20 && rule.shortDescription.text.length > 20);
  }
  assert.match(run0.originalUriBaseIds['%SRCROOT%']!.uri, /^file:\/\/.*\/mixed\/$/);
  assert.deepEqual(run0.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri,
    r.locations[0]!.physicalLocation.region.startLine]), [
    ['leakfinder/no-client-per-request', 'error', 'src/routes/users.ts', 4],
    ['leakfinder/no-module-state-per-request', 'error', 'src/server.cjs', 5],
  ]);
  for (const r of run0.results) {
    assert.equal(ruleIds[r.ruleIndex], r.ruleId);
    assert.equal(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(r.message.text.length > 20);
  }
  assert.equal(run0.invocations[0]!.toolExecutionNotifications.length, 1);
  assert.match(run0.invocations[0]!.toolExecutionNotifications[0]!.message.text, /Parsing error/);
});

test('lint --concurrency 2 (worker threads) finds the same as on one thread', async () => {
  const threaded = await run(['--format', 'json', '--concurrency', '2', 'src'], mixed);
  const single = await run(['--format', 'json', '--concurrency', 'off', 'src'], mixed);
  assert.equal(threaded.code, 1);
  assert.deepEqual(JSON.parse(threaded.stdout), JSON.parse(single.stdout));
  assert.equal((JSON.parse(single.stdout) as { findings: unknown[] }).findings.length, 2);
});

test('lint exits 0 with no findings, ignoring the project\'s own eslint comments but honouring disables of our rules', async () => {
  const dir = project('clean', {
    'server.mjs': clean,
    // Comments for rules that lint does not load must not turn into problems ("Definition … not found", unused).
    'lib/util.ts': '// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const twice = (n: any): number => n * 2;\n/* eslint-disable no-console */\n',
    'lib/audit.js': leakyExpress.replace('  visits.push', '  // eslint-disable-next-line leakfinder/no-module-state-per-request -- trimmed by a cron job\n  visits.push'),
  });
  const { code, stdout } = await run([], dir);
  assert.equal(code, 0);
  assert.equal(stdout, '3 files linted, no problems.\n');
});

test('lint exits 2 with LF_LINT_NO_FILES when no file could be parsed, after reporting the parse errors', async () => {
  const dir = project('broken', { 'a.js': 'function (\n', 'b.ts': 'let = ;\n' });
  const { code, stdout, stderr } = await run(['.'], dir);
  assert.equal(code, 2);
  assert.match(stdout, /a\.js\n {2}1:10 {2}error {2}Parsing error/);
  assert.match(stderr, /^leakfinder: lint: none of the 2 file\(s\) could be parsed \(first: .*a\.js:1:10: Parsing error/);
});

test('lint exits 2 on bad usage: missing path, no JS/TS files, unknown format or concurrency, non-JS file', async () => {
  const dir = project('usage', { 'notes.txt': 'hello\n', 'empty/.keep': '' });
  const missing = await run(['nope'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /`nope` does not exist/);
  const empty = await run(['empty'], dir);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no \.js\/\.mjs\/\.cjs\/\.ts\/\.mts\/\.cts files under empty/);
  const format = await run(['--format', 'xml', '.'], dir);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /`--format` must be one of text, json, sarif, got "xml"/);
  const threads = await run(['--concurrency', 'many', '.'], dir);
  assert.equal(threads.code, 2);
  assert.match(threads.stderr, /`--concurrency` must be an integer from 1 to 256, got "many"/);
  const text = await run(['notes.txt'], dir);
  assert.equal(text.code, 2);
  assert.match(text.stderr, /`notes\.txt` is not a JavaScript or TypeScript file/);
});
