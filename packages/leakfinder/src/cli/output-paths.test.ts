import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LeakfinderError } from '../errors.js';
import { assertOutputPaths, htmlGeneratorMeta, logFileMarker, writeFileAtomically, type OutputKind } from './output-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-output-paths-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'a.heapsnapshot'), '{"snapshot":{}}');
writeFileSync(join(dir, 'server.js'), 'console.log(1)\n');
writeFileSync(join(dir, 'old.json'), '{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "leakfinder",\n    "version": "0.1.0"\n  }\n}\n');
writeFileSync(join(dir, 'other.json'), '{"name": "my-app"}');
writeFileSync(join(dir, 'old.html'), `<!doctype html><html><head>${htmlGeneratorMeta('0.1.0')}</head></html>`);
writeFileSync(join(dir, 'page.html'), '<!doctype html><html><head><title>mine</title></head></html>');
writeFileSync(join(dir, 'old.log'), `${logFileMarker}: 2026-01-01 node server.js\nstdout: hi\n`);
writeFileSync(join(dir, 'empty.json'), '');
mkdirSync(join(dir, 'folder'));

function refusal(path: string, kind: OutputKind, inputs: string[] = []): string | undefined {
  try {
    assertOutputPaths([{ flag: '--out', path, kind }], inputs, dir);
    return undefined;
  } catch (error) {
    assert.ok(LeakfinderError.is(error));
    assert.equal(error.code, 'LF_OUTPUT_REFUSED');
    assert.equal(error.isUsageError, true);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error.message;
  }
}

test('refuses a .heapsnapshot output, existing or not, and says what probably happened', () => {
  assert.match(refusal('a.heapsnapshot', 'json')!, /over a \.heapsnapshot file; nothing was read or written.*put a report name after --out/);
  assert.match(refusal('new.heapsnapshot', 'html')!, /\.heapsnapshot/);
});

test('refuses an output that is an input, also through a symlink or a hard link', () => {
  assert.match(refusal('server.js', 'json', ['server.js'])!, /names an input of this run/);
  symlinkSync(join(dir, 'server.js'), join(dir, 'link.js'));
  linkSync(join(dir, 'server.js'), join(dir, 'hard.js'));
  assert.match(refusal('link.js', 'log', [join(dir, 'server.js')])!, /names an input/);
  assert.match(refusal('hard.js', 'json', ['server.js'])!, /names an input/);
});

test('refuses existing files that are not our output of that kind; accepts ours and empty ones', () => {
  assert.equal(refusal('old.json', 'json'), undefined);
  assert.equal(refusal('empty.json', 'json'), undefined);
  assert.equal(refusal('old.html', 'html'), undefined);
  assert.equal(refusal('old.log', 'log'), undefined);
  assert.equal(refusal('new.json', 'json'), undefined);
  assert.match(refusal('other.json', 'json')!, /exists and is not a leakfinder JSON report/);
  assert.match(refusal('page.html', 'html')!, /not a leakfinder HTML report/);
  assert.match(refusal('server.js', 'log')!, /not a leakfinder server log/);
  assert.match(refusal('old.json', 'html')!, /not a leakfinder HTML report/);
  assert.match(refusal('folder', 'json')!, /is a folder/);
  assert.match(refusal('/dev/null', 'json')!, /not a regular file/);
  assert.match(refusal('missing/r.json', 'json')!, /does not exist/);
});

test('folders: an existing file is refused; a missing folder is fine when its parent is writable', () => {
  assert.match(refusal('server.js', 'directory')!, /is an existing file, not a folder/);
  assert.equal(refusal('folder', 'directory'), undefined);
  assert.equal(refusal('new/deeper', 'directory'), undefined);
});

test('two outputs naming one file are refused; undefined paths are skipped', () => {
  assert.throws(
    () => assertOutputPaths([{ flag: '--json', path: 'r.json', kind: 'json' }, { flag: '--html', path: './r.json', kind: 'html' }], [], dir),
    /`--html \.\/r\.json` names the same file as --json/,
  );
  assert.doesNotThrow(() => assertOutputPaths([{ flag: '--json', path: undefined, kind: 'json' }], ['x'], dir));
});

test('writeFileAtomically replaces the file whole, 0600, leaves no temp file, and follows symlinks', async () => {
  const target = join(dir, 'atomic', 'r.json');
  mkdirSync(join(dir, 'atomic'));
  await writeFileAtomically(target, 'one');
  await writeFileAtomically(target, 'two');
  assert.equal(readFileSync(target, 'utf8'), 'two');
  assert.equal(statSync(target).mode & 0o777, 0o600);
  symlinkSync(target, join(dir, 'atomic', 'link.json'));
  await writeFileAtomically(join(dir, 'atomic', 'link.json'), 'three');
  assert.equal(readFileSync(target, 'utf8'), 'three');
  assert.deepEqual(readdirSync(join(dir, 'atomic')).sort(), ['link.json', 'r.json']);
  await assert.rejects(writeFileAtomically(join(dir, 'nope', 'r.json'), 'x'), (e: unknown) => LeakfinderError.is(e) && e.code === 'LF_WRITE_FAILED');
});
