import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { SourceMapResolver, sourceMappingUrlOf } from './source-maps.js';

const tsSource = [
  'interface Options { readonly size: number }', // 1
  'type Id = string;', // 2
  'export class Entry {', // 3
  '  constructor(readonly id: Id, readonly options: Options) {}', // 4
  '}', // 5
  'export function make(id: Id): Entry {', // 6
  '  const options: Options = { size: 1 };', // 7
  '  return new Entry(id, options);', // 8
  '}', // 9
].join('\n');

/** Real tsc output for tsSource, written to a temp dir as `entry.js` (+ `entry.js.map` unless inline). */
function compile(dir: string, inline: boolean): { js: string; jsPath: string } {
  const tsPath = join(dir, 'entry.ts');
  writeFileSync(tsPath, tsSource);
  const out = ts.transpileModule(tsSource, {
    fileName: tsPath,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: !inline, inlineSourceMap: inline },
  });
  const jsPath = join(dir, 'entry.js');
  writeFileSync(jsPath, out.outputText);
  if (out.sourceMapText !== undefined) writeFileSync(`${jsPath}.map`, out.sourceMapText);
  return { js: out.outputText, jsPath };
}

function generatedPositionOf(js: string, needle: string): { line: number; column: number } {
  const lines = js.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

test('tsc --sourceMap output maps back to the TypeScript line, by path and by file URL', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-maps-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { js, jsPath } = compile(dir, false);
  const at = generatedPositionOf(js, 'new Entry(');
  const resolver = new SourceMapResolver();
  const byPath = resolver.toOriginal(0, jsPath, at.line, at.column);
  assert.deepEqual([byPath.file, byPath.line, byPath.mapped], [join(dir, 'entry.ts'), 8, true]);
  const byUrl = resolver.toOriginal(0, pathToFileURL(jsPath).href, at.line, at.column);
  assert.deepEqual([byUrl.file, byUrl.line], [pathToFileURL(join(dir, 'entry.ts')).href, 8]);
  assert.deepEqual(resolver.warnings, []);
});

test('an inline source map (as ts-node and tsx write them) maps back too', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-maps-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { js, jsPath } = compile(dir, true);
  assert.match(sourceMappingUrlOf(js), /^data:application\/json;base64,/);
  const at = generatedPositionOf(js, 'new Entry(');
  const position = new SourceMapResolver().toOriginal(0, jsPath, at.line, at.column);
  assert.equal(position.line, 8);
  assert.equal(position.mapped, true);
});

test('live scripts (code only in the server’s memory) are used before the file on disk', () => {
  const { js } = { js: ts.transpileModule(tsSource, { fileName: '/nowhere/app.ts', compilerOptions: { inlineSourceMap: true, target: ts.ScriptTarget.ES2022 } }).outputText };
  const scripts = new Map([[7, { url: 'file:///nowhere/app.ts', sourceMapUrl: sourceMappingUrlOf(js), text: js }]]);
  const resolver = new SourceMapResolver({ scripts, readFile: () => null });
  const at = generatedPositionOf(js, 'new Entry(');
  assert.equal(resolver.generatedText(7, 'file:///nowhere/app.ts'), js);
  assert.equal(resolver.toOriginal(7, 'file:///nowhere/app.ts', at.line, at.column).line, 8);
  // the same script found by URL when the frame lost its id
  assert.equal(resolver.toOriginal(0, 'file:///nowhere/app.ts', at.line, at.column).line, 8);
});

test('a missing .map file falls back to the generated position with one warning per script', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-maps-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { js, jsPath } = compile(dir, false);
  rmSync(`${jsPath}.map`);
  const at = generatedPositionOf(js, 'new Entry(');
  const resolver = new SourceMapResolver();
  assert.deepEqual(resolver.toOriginal(0, jsPath, at.line, at.column), { file: jsPath, line: at.line, column: at.column, mapped: false });
  resolver.toOriginal(0, jsPath, 1, 1);
  assert.equal(resolver.warnings.length, 1);
  assert.match(resolver.warnings[0]!, /entry\.js\.map cannot be read.*generated code/);
});

test('a broken map (bad JSON) falls back with a warning, never throws', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-maps-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { js, jsPath } = compile(dir, false);
  const at = generatedPositionOf(js, 'new Entry(');
  writeFileSync(`${jsPath}.map`, '{"version":3,"sources":["entry.ts"],"mappings":');
  const badJson = new SourceMapResolver();
  assert.equal(badJson.toOriginal(0, jsPath, at.line, at.column).mapped, false);
  assert.match(badJson.warnings[0]!, /source map .*unusable/);
});

test('a TypeScript file seen without its in-memory map gets a warning (offline analysis of tsx code)', () => {
  const resolver = new SourceMapResolver({ readFile: () => tsSource });
  const position = resolver.toOriginal(3, 'file:///app/src/server.ts', 8, 10);
  assert.equal(position.mapped, false);
  assert.match(resolver.warnings[0]!, /server\.ts was transformed when loaded/);
});
