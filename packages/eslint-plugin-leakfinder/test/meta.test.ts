// Each rule has its source, test, doc, entry in rules/index.ts and a place in the recommended config (typescript-eslint's convention).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import plugin from '../src/index.js';
import { rules } from '../src/rules/index.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ruleSourceNames = readdirSync(join(packageDir, 'src/rules'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

test('every rule source file is listed in rules/index.ts under its file name, and nothing else is', () => {
  assert.deepEqual(Object.keys(rules).sort(), ruleSourceNames);
  assert.ok(ruleSourceNames.length >= 7, `expected the rule set, found ${ruleSourceNames.join(', ')}`);
});

for (const name of ruleSourceNames) {
  test(`${name}: has a test, a doc, a matching name and URL, and a place in the recommended config`, () => {
    const rule = rules[name as keyof typeof rules];
    assert.equal(rule.name, name, 'the rule `name` must equal its file name');
    assert.ok(existsSync(join(packageDir, 'src/rules', `${name}.test.ts`)), `missing src/rules/${name}.test.ts`);
    assert.ok(existsSync(join(packageDir, 'docs/rules', `${name}.md`)), `missing docs/rules/${name}.md`);
    assert.ok(rule.meta.docs?.url?.endsWith(`/docs/rules/${name}.md`), `docs.url: ${rule.meta.docs?.url}`);
    assert.equal(plugin.configs.recommended.rules?.[`leakfinder/${name}`], 'error');
    assert.equal(plugin.rules[name as keyof typeof rules], rule);
  });

  test(`${name}: every message is one sentence that gives the reason and the fix`, () => {
    const rule = rules[name as keyof typeof rules];
    for (const [id, message] of Object.entries(rule.meta.messages as Record<string, string>)) {
      assert.match(message, /\.$/, `${id} must end with a period`);
      assert.doesNotMatch(message.slice(0, -1), /[.!?]\s+[A-Z]/, `${id} must be one sentence`);
      assert.match(message, /:\s/, `${id} must say what to do after a colon`);
    }
  });

  test(`${name}: option schemas reject unknown properties and describe every property`, () => {
    const rule = rules[name as keyof typeof rules];
    const schemas = Array.isArray(rule.meta.schema) ? rule.meta.schema : [rule.meta.schema];
    for (const schema of schemas as Array<{ type?: string; properties?: Record<string, { description?: string }>; additionalProperties?: boolean }>) {
      if (schema.type !== 'object') continue;
      assert.equal(schema.additionalProperties, false);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        assert.ok((property.description ?? '').length > 10, `${key} needs a description`);
      }
    }
  });
}
