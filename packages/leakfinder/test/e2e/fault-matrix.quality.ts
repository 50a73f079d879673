// Slow variants of the fault matrix (fault-matrix.test.ts): they need whole runs (five snapshots and the
// final analysis), 30-90 s each on a busy 2-core machine. `npm run test:quality`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checksums, errorLines, faultServer, runAndSignal, waitUntilTreeGone } from '../helpers/fault-run.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-fault-matrix-q-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const fixtureSums = checksums([faultServer]);
function assertInputsUnchanged(): void {
  assert.deepEqual(checksums([faultServer]), fixtureSums);
}

interface Report {
  verdict: string;
  reason: string | null;
  interruption?: { code: string; phase: string };
  checkpoints: unknown[];
  snapshots: { directory: string; kept: boolean; files: string[] };
}
const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

function assertKeptSnapshots(report: Report): void {
  assert.equal(report.snapshots.files.length, report.checkpoints.length);
  for (const file of report.snapshots.files) {
    assert.ok(existsSync(file), file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
  if (report.snapshots.kept) {
    assert.deepEqual(readdirSync(report.snapshots.directory).filter((f) => !f.endsWith('.heapsnapshot')), []);
    rmSync(report.snapshots.directory, { recursive: true, force: true });
  }
}

test('a server that exits mid-run: exit 2, the report names the exit and keeps the snapshots', async () => {
  const json = join(dir, 'exits.json');
  const r = await runAndSignal(['check', '--warmup', '10', '--requests', '400', '--json', json, '--', 'node', faultServer], {
    env: { LF_FAULT: 'exit-after', LF_FAULT_REQUESTS: '40' },
  });
  assert.equal(r.code, 2, r.stderr);
  const report = readReport(json);
  assert.equal(report.verdict, 'inconclusive');
  assert.deepEqual(report.interruption, { code: 'LF_TARGET_EXITED', phase: 'measuring' });
  assert.match(report.reason!, /^the server exited with code 7 during the run; 1 checkpoint\(s\) were measured and the snapshots kept in /);
  assertKeptSnapshots(report);
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});


test('Ctrl-C during the final analysis: exit 2 (not 130), inconclusive, all five snapshots kept', async () => {
  const json = join(dir, 'ctrl-c-analysis.json');
  // A leaking server, so the final analysis has findings to explain and lasts long enough to be interrupted.
  const r = await runAndSignal(['check', '--warmup', '10', '--requests', '400', '--json', json, '--', 'node', faultServer], {
    env: { LF_FAULT: 'leak' },
    when: /reading the snapshots/,
    delayMs: 0,
    timeoutMs: 240_000,
  });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.signal, null);
  assert.deepEqual(errorLines(r.stderr), ['leakfinder: interrupted: stopped the run, kept what was measured.']);
  const report = readReport(json);
  assert.equal(report.verdict, 'inconclusive');
  assert.deepEqual(report.interruption, { code: 'LF_ABORTED', phase: 'analysis' });
  assert.equal(report.checkpoints.length, 5);
  assertKeptSnapshots(report);
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});

test('SIGKILL during the session check: the server tree still ends', async () => {
  const r = await runAndSignal(['check', '--warmup', '10', '--requests', '40', '--', 'node', faultServer], {
    env: { LF_FAULT_CHILD: '1' },
    when: /checkpoint 4 at/,
    delayMs: 100,
    signal: 'SIGKILL',
    timeoutMs: 240_000,
  });
  assert.equal(r.signal, 'SIGKILL');
  await waitUntilTreeGone(r.tree!, 5_000);
});

test('a signal after the report is written keeps the run\'s exit code (was 130 while the process wound down)', async () => {
  const r = await runAndSignal(['check', '--warmup', '10', '--requests', '40', '--', 'node', faultServer], {
    when: /Time: /,
    delayMs: 0,
    timeoutMs: 240_000,
  });
  assert.equal(r.signal, null);
  assert.equal(r.code, 0, r.stderr);
});
