// The plugin as users load it: `export default [leakfinder.configs.recommended]` in eslint.config.js, through ESLint 10's ESLint class.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

// Inside the package, so `import 'eslint-plugin-leakfinder'` in the config resolves like in a user's project.
const dir = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), 'flat-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, 'eslint.config.js'), `import leakfinder from 'eslint-plugin-leakfinder';\nexport default [leakfinder.configs.recommended];\n`);
writeFileSync(join(dir, 'server.js'), [
  "import express from 'express';",
  'const app = express();',
  'const visits = [];',
  "app.get('/', (req, res) => {",
  '  visits.push(req.ip);',
  "  res.send('ok');",
  '});',
  '',
].join('\n'));
writeFileSync(join(dir, 'clean.js'), "const app = {}; app.get?.('/', (req, res) => res.send('ok'));\n");

test('ESLint 10 loads the recommended config from eslint.config.js and reports with the plugin rules', async () => {
  assert.equal(ESLint.version.split('.')[0], '10');
  const eslint = new ESLint({ cwd: dir });
  const [dirty, clean] = await Promise.all([eslint.lintFiles(['server.js']), eslint.lintFiles(['clean.js'])]);
  assert.deepEqual(dirty[0]!.messages.map((m) => [m.ruleId, m.line]), [['leakfinder/no-module-state-per-request', 5]]);
  assert.deepEqual(clean[0]!.messages, []);
  const config = (await eslint.calculateConfigForFile('server.js')) as { rules: Record<string, unknown> };
  assert.ok(Object.keys(config.rules).filter((r) => r.startsWith('leakfinder/')).length >= 7);
});

test('unknown rule options are rejected by the schema', async () => {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [
    (await import('eslint-plugin-leakfinder')).default.configs.recommended as never,
    { rules: { 'leakfinder/no-eager-session': ['error', { probePath: ['/up'] }] } },
  ] });
  await assert.rejects(eslint.lintText('export {};', { filePath: join(dir, 'x.js') }), /no-eager-session.*(?:additional|probePath)/s);
  const noOptions = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [
    (await import('eslint-plugin-leakfinder')).default.configs.recommended as never,
    { rules: { 'leakfinder/no-module-state-per-request': ['error', { max: 1 }] } },
  ] });
  await assert.rejects(noOptions.lintText('export {};', { filePath: join(dir, 'x.js') }), /no-module-state-per-request/);
});
