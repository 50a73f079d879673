// The fault matrix (issue #11), for real: the leakfinder CLI in a child process, a real server
// (fault-server.mjs, with a child process of its own), real signals, a real full disk. For each fault: the exit
// code, the report's verdict/reason/interruption, the kept snapshots, that the server's process group and
// inspector ports are gone, and that no input changed. Slow variants (Ctrl-C in the final analysis) are in
// fault-matrix.quality.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliInProcess } from '../helpers/run-cli.js';
import { checksums, errorLines, faultServer, runAndSignal, waitUntilTreeGone, type FaultRun } from '../helpers/fault-run.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-fault-matrix-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

interface Report {
  verdict: string;
  reason: string | null;
  interruption?: { code: string; phase: string };
  requests: { warmup: number; measured: number; byStatus: Record<string, number> };
  checkpoints: unknown[];
  warnings: string[];
  snapshots: { directory: string; kept: boolean; files: string[] };
}

function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

/** The kept snapshots are whole, private, one per checkpoint; no half-written file is left. */
function assertKeptSnapshots(report: Report): void {
  assert.equal(report.snapshots.kept, report.checkpoints.length > 0);
  assert.equal(report.snapshots.files.length, report.checkpoints.length);
  for (const file of report.snapshots.files) {
    assert.ok(existsSync(file), file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
  if (report.snapshots.kept) {
    assert.equal(statSync(report.snapshots.directory).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(report.snapshots.directory).filter((f) => !f.endsWith('.heapsnapshot')), []);
    rmSync(report.snapshots.directory, { recursive: true, force: true });
  }
}

const fixtureSums = checksums([faultServer]);
function assertInputsUnchanged(extra: Record<string, string> = {}): void {
  assert.deepEqual(checksums([faultServer, ...Object.keys(extra)]), { ...fixtureSums, ...extra });
}

const sigkillPhases: { phase: string; env?: NodeJS.ProcessEnv; args: string[]; when: RegExp; delayMs: number; notYet?: RegExp }[] = [
  { phase: 'startup', env: { LF_FAULT: 'slow-start' }, args: ['--startup-timeout', '60'], when: /FIXTURE-CHILD/, delayMs: 0 },
  { phase: 'warm-up', args: ['--warmup', '1000000'], when: /warm-up:/, delayMs: 300 },
  // Checkpoint 0 idles 200 ms, then collects and snapshots 300,000 objects of ballast for seconds: 700 ms in,
  // it is inside (without the ballast, a quiet machine finished the snapshot in under 700 ms).
  { phase: 'snapshot', env: { LF_FAULT_BALLAST: '300000' }, args: ['--warmup', '10'], when: /warm-up:/, delayMs: 700, notYet: /checkpoint 0 at/ },
];

for (const { phase, env, args, when, delayMs, notYet } of sigkillPhases) {
  test(`SIGKILL of leakfinder during ${phase}: the server's whole tree ends and its inspector ports close within 5 s`, async () => {
    const keep = join(dir, `sigkill-${phase}`);
    const r = await runAndSignal(['check', ...args, '--keep-snapshots', keep, '--', 'node', faultServer], {
      env: { LF_FAULT_CHILD: '1', ...env },
      when,
      delayMs,
      signal: 'SIGKILL',
    });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.ok(r.tree, `the server never printed its pid: ${r.stderr}`);
    if (notYet) assert.doesNotMatch(r.stderr, notYet, 'killed in the phase meant');
    const goneMs = await waitUntilTreeGone(r.tree, 5_000);
    assert.ok(goneMs < 5_000);
    // The watchdog also removed the half-written snapshot and the run's folder, empty after that.
    assert.deepEqual(readdirSync(keep), []);
    assertInputsUnchanged();
  });
}

function assertInterrupted(r: FaultRun, report: Report, phase: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(errorLines(r.stderr), ['leakfinder: interrupted: stopped the run, kept what was measured.']);
  assert.equal(report.verdict, 'inconclusive');
  assert.deepEqual(report.interruption, { code: 'LF_ABORTED', phase });
  assert.match(report.reason!, /^interrupted \(Ctrl-C or a signal\) /);
}

test('Ctrl-C while the server starts: exit 2, the report says so, nothing measured, nothing left running', async () => {
  const json = join(dir, 'ctrl-c-startup.json');
  const r = await runAndSignal(['check', '--startup-timeout', '60', '--json', json, '--', 'node', faultServer], {
    env: { LF_FAULT: 'slow-start' },
    when: /FIXTURE pid/,
    delayMs: 200,
  });
  const report = readReport(json);
  assertInterrupted(r, report, 'startup');
  assert.match(report.reason!, /while starting the server; no checkpoint was measured$/);
  assert.deepEqual(report.checkpoints, []);
  assertKeptSnapshots(report);
  assert.ok(r.exitAfterSignalMs! < 5_000, `exit took ${r.exitAfterSignalMs} ms`);
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});

test('Ctrl-C during the warm-up: exit 2, the report counts the warm-up requests sent', async () => {
  const json = join(dir, 'ctrl-c-warmup.json');
  const r = await runAndSignal(['check', '--warmup', '1000000', '--json', json, '--format', 'json', '--', 'node', faultServer], { when: /warm-up:/, delayMs: 300 });
  const report = readReport(json);
  assertInterrupted(r, report, 'warm-up');
  assert.deepEqual(JSON.parse(r.stdout), report, '--format json prints the same report on stdout');
  assert.ok(report.requests.warmup > 0);
  assert.equal(report.requests.measured, 0);
  assertKeptSnapshots(report);
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});

test('Ctrl-C while measuring: exit 2, the checkpoints so far and their snapshots are kept and listed', async () => {
  const json = join(dir, 'ctrl-c-measuring.json');
  const r = await runAndSignal(['check', '--warmup', '10', '--requests', '100000', '--json', json, '--', 'node', faultServer], {
    when: /checkpoint 0 at/,
    delayMs: 200,
  });
  const report = readReport(json);
  assertInterrupted(r, report, 'measuring');
  assert.ok(report.checkpoints.length >= 1);
  assert.match(report.reason!, /while measuring; \d+ checkpoint\(s\) were measured and the snapshots kept in /);
  assert.match(r.stdout, /INCONCLUSIVE/, 'the terminal report is printed when something was measured');
  assertKeptSnapshots(report);
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});

test('a server that never listens: exit 2 after --startup-timeout, the report is written', async () => {
  const json = join(dir, 'never-listens.json');
  const r = await runAndSignal(['check', '--startup-timeout', '2', '--json', json, '--', 'node', faultServer], { env: { LF_FAULT: 'slow-start', LF_FAULT_CHILD: '1' } });
  assert.equal(r.code, 2);
  assert.equal(errorLines(r.stderr).length, 1);
  const report = readReport(json);
  assert.equal(report.verdict, 'inconclusive');
  assert.deepEqual(report.interruption, { code: 'LF_TARGET_NOT_READY', phase: 'startup' });
  assert.match(report.reason!, /^stopped while starting the server: server did not accept connections on 127\.0\.0\.1:\d+ within 2 s/);
  assert.equal(r.stdout, '', 'a startup failure is one line, not a page');
  await waitUntilTreeGone(r.tree!, 5_000);
  assertInputsUnchanged();
});

test('a server that answers only 500s: exit 2, inconclusive, the share of failures given', async () => {
  const json = join(dir, 'only-500.json');
  const r = await runAndSignal(['check', '--warmup', '40', '--json', json, '--', 'node', faultServer], { env: { LF_FAULT: '500' } });
  assert.equal(r.code, 2, r.stderr);
  const report = readReport(json);
  assert.equal(report.verdict, 'inconclusive');
  assert.match(report.reason!, /^100% of the requests failed or got 4xx\/5xx/);
  assert.equal(report.requests.byStatus['5xx'], 40);
  assertKeptSnapshots(report);
  await waitUntilTreeGone(r.tree!, 5_000);
});

test('a server that never answers: the first round of requests times out and the run ends, exit 2', async () => {
  const json = join(dir, 'hang.json');
  const r = await runAndSignal(['check', '--warmup', '2000', '--request-timeout', '1', '--json', json, '--', 'node', faultServer], {
    env: { LF_FAULT: 'hang' },
  });
  assert.equal(r.code, 2, r.stderr);
  const report = readReport(json);
  assert.equal(report.verdict, 'inconclusive');
  assert.match(report.reason!, /^100% of the requests failed/);
  assert.equal(report.requests.byStatus.failed, 8, 'one round of --concurrency requests, not the whole warm-up');
  assert.ok(report.warnings.some((w) => /no response within 1000 ms/.test(w)), JSON.stringify(report.warnings));
  await waitUntilTreeGone(r.tree!, 5_000);
});

/** Refusals happen before any work: run them in-process (cheap), through the same `main` as the binary. */
const runInProcess = (args: string[]) => runCliInProcess(args, dir);

/** A small tmpfs mounted for one test (root only): `undefined` with the reason printed when it cannot be. */
function mountTmpfs(name: string, options: string): string | undefined {
  if (!isRoot) {
    console.log(`# skipped ${name}: mounting a tmpfs needs root`);
    return undefined;
  }
  const mountPoint = join(dir, name);
  mkdirSync(mountPoint);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'lf-test', mountPoint], { encoding: 'utf8' });
  if (mount.status !== 0) {
    console.log(`# skipped ${name}: mount -t tmpfs failed: ${mount.stderr.trim()}`);
    return undefined;
  }
  return mountPoint;
}
function unmount(mountPoint: string): void {
  spawnSync('umount', [mountPoint]);
}

test('too little disk for the snapshots: the preflight stops before writing, one line with the numbers, exit 2', async (t) => {
  const disk = mountTmpfs('small-disk', 'size=2m,mode=0700');
  if (disk === undefined) return t.skip('needs root to mount a tmpfs');
  try {
    const json = join(dir, 'disk-short.json');
    const r = await runAndSignal(['check', '--warmup', '10', '--keep-snapshots', disk, '--json', json, '--', 'node', faultServer]);
    assert.equal(r.code, 2, r.stderr);
    const lines = errorLines(r.stderr);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^leakfinder: not enough free disk space for the heap snapshots in .*: 5 snapshot\(s\) of a [\d.]+ MiB heap need about [\d.]+ MiB, [\d.]+ (KiB|MiB) is free; free some space, or put them elsewhere with `--keep-snapshots <dir>`/);
    const report = readReport(json);
    assert.deepEqual(report.interruption, { code: 'LF_DISK_SPACE_SHORT', phase: 'measuring' });
    assert.deepEqual(report.checkpoints, []);
    await waitUntilTreeGone(r.tree!, 5_000);
    // Nothing was written on the small disk but the private folder `--keep-snapshots` asked for, empty.
    for (const folder of readdirSync(disk)) assert.deepEqual(readdirSync(join(disk, folder)), []);
  } finally {
    unmount(disk);
  }
});

test('ENOSPC in the middle of a snapshot: exit 2, no half-written file, the report is written elsewhere', async (t) => {
  const disk = mountTmpfs('full-disk', 'size=1m,mode=0700');
  if (disk === undefined) return t.skip('needs root to mount a tmpfs');
  try {
    const json = join(dir, 'enospc.json');
    const r = await runAndSignal(['check', '--warmup', '10', '--keep-snapshots', disk, '--json', json, '--', 'node', faultServer], {
      env: { LEAKFINDER_NO_PREFLIGHT: '1' },
    });
    assert.equal(r.code, 2, r.stderr);
    const lines = errorLines(r.stderr);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^leakfinder: could not write .*checkpoint-0\.heapsnapshot.*: ENOSPC/);
    const report = readReport(json);
    assert.deepEqual(report.interruption, { code: 'LF_WRITE_FAILED', phase: 'measuring' });
    assert.equal(report.verdict, 'inconclusive');
    await waitUntilTreeGone(r.tree!, 5_000);
    for (const folder of readdirSync(disk)) assert.deepEqual(readdirSync(join(disk, folder)), [], 'no .partial file left');
  } finally {
    unmount(disk);
  }
});

test('an unwritable output folder is refused before anything starts, exit 2', async () => {
  let folder = isRoot ? mountTmpfs('read-only', 'ro,size=1m') : undefined;
  if (folder === undefined) {
    folder = join(dir, 'no-write');
    mkdirSync(folder, { mode: 0o555 });
  }
  try {
    for (const [flag, path] of [['--json', join(folder, 'r.json')], ['--keep-snapshots', join(folder, 'snaps')], ['--log-file', join(folder, 'server.log')]] as const) {
      const r = await runInProcess(['check', flag, path, '--', 'node', faultServer]);
      assert.equal(r.code, 2);
      assert.equal(errorLines(r.stderr).length, 1);
      assert.match(r.stderr, /is not writable/);
      assert.doesNotMatch(r.stderr, /starting/, 'the server was never started');
    }
  } finally {
    if (isRoot) unmount(folder);
  }
});

test('an output path that is an input, or an existing snapshot, is refused; no input changes', async () => {
  const server = join(dir, 'server-copy.mjs');
  copyFileSync(faultServer, server);
  const snapshot = join(dir, 'prod.heapsnapshot');
  writeFileSync(snapshot, '{"snapshot":{"meta":{}},"nodes":[]}');
  const before = checksums([server, snapshot]);
  const cases: [string[], RegExp][] = [
    [['check', '--json', server, '--', 'node', server], /`--json .*server-copy\.mjs` names an input of this run/],
    [['check', '--log-file', server, '--', 'node', server], /names an input of this run/],
    [['check', '--json', snapshot, '--', 'node', server], /would write a json report over a \.heapsnapshot file; nothing was read or written/],
    [['analyze', '--json', snapshot, snapshot], /names an input of this run/],
    [['analyze', '--json', snapshot, join(dir, 'other.heapsnapshot')], /\.heapsnapshot file; nothing was read or written/],
  ];
  for (const [args, message] of cases) {
    const r = await runInProcess(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.deepEqual(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(checksums([server, snapshot]), before);
});

test('analyze of a snapshot bigger than the free memory: refused before reading, one line with the numbers', async () => {
  // A sparse file: 1 TiB by its size, nothing on disk. The preflight looks at the size only.
  const huge = join(dir, 'huge.heapsnapshot');
  writeFileSync(huge, '');
  truncateSync(huge, 2 ** 40);
  const r = await runInProcess(['analyze', huge]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^leakfinder: not enough free memory to read .*huge\.heapsnapshot \(1\.0 TiB\): reading it takes about [\d.]+ TiB, [\d.]+ GiB is available; close other programs or run it on a bigger machine \(LEAKFINDER_NO_PREFLIGHT=1 skips this check\)\.\n$/,
  );
});
