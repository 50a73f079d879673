// Each rule doc has frontmatter and the required headings, and its ❌ examples trip the rule while its ✅ examples do not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import plugin from '../src/index.js';
import { rules } from '../src/rules/index.js';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/rules');
const requiredHeadings = ['## Examples', '### ❌ Incorrect', '### ✅ Correct', '## Options', '## When Not To Use It'];

interface Block { section: string; lang: string; code: string }

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) section = line;
    const open = /^```(\w+)$/.exec(line);
    if (open === null) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    blocks.push({ section, lang: open[1]!, code: body.join('\n') });
  }
  return blocks;
}

function lint(code: string, lang: string, ruleConfig: Linter.RuleEntry): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const filename = lang === 'ts' ? 'example.ts' : 'example.mjs';
  return linter.verify(code, [
    { plugins: { leakfinder: plugin as unknown as NonNullable<Linter.Config['plugins']>[string] }, rules: ruleConfig as unknown as Linter.RulesRecord },
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser } },
  ], filename);
}

for (const [name, rule] of Object.entries(rules)) {
  const markdown = readFileSync(join(docsDir, `${name}.md`), 'utf8');

  test(`docs/rules/${name}.md has frontmatter, the title and the required headings`, () => {
    const front = /^---\ndescription: '(.+)'\n---\n/.exec(markdown);
    assert.ok(front !== null, 'frontmatter with a description');
    assert.equal(front[1], rule.meta.docs?.description);
    assert.ok(markdown.includes(`\n# leakfinder/${name}\n`), 'title');
    let last = -1;
    for (const heading of requiredHeadings) {
      const at = markdown.indexOf(`\n${heading}\n`);
      assert.ok(at > last, `${heading} missing or out of order`);
      last = at;
    }
    const schema = (rule.meta.schema as unknown as Array<{ properties?: Record<string, unknown> }>)[0];
    const options = markdown.slice(markdown.indexOf('\n## Options\n'), markdown.indexOf('\n## When Not To Use It\n'));
    for (const key of Object.keys(schema?.properties ?? {})) assert.ok(options.includes(`\`${key}\``), `Options must describe \`${key}\``);
    if (schema === undefined) assert.match(options, /no options/);
  });

  test(`docs/rules/${name}.md: ❌ examples are reported by the rule, ✅ examples are not, option examples are valid`, () => {
    const blocks = codeBlocks(markdown);
    const ruleId = `leakfinder/${name}`;
    let incorrect = 0;
    let correct = 0;
    for (const block of blocks) {
      if (block.lang === 'json') {
        // An options example must pass the rule's schema: a bad key would make ESLint throw here.
        const config = JSON.parse(block.code) as Record<string, Linter.RuleEntry>;
        assert.deepEqual(Object.keys(config), [ruleId]);
        lint('export {};', 'js', config as unknown as Linter.RuleEntry);
        continue;
      }
      const messages = lint(block.code, block.lang, { [ruleId]: 'error' } as unknown as Linter.RuleEntry);
      const fatal = messages.filter((m) => m.fatal === true);
      assert.deepEqual(fatal, [], `example does not parse:\n${block.code}`);
      const hits = messages.filter((m) => m.ruleId === ruleId);
      if (block.section.includes('❌')) {
        incorrect++;
        assert.ok(hits.length > 0, `❌ example not reported:\n${block.code}`);
      } else if (block.section.includes('✅')) {
        correct++;
        assert.deepEqual(hits.map((m) => m.message), [], `✅ example reported:\n${block.code}`);
      }
    }
    assert.ok(incorrect > 0 && correct > 0, 'at least one ❌ and one ✅ example');
  });
}
