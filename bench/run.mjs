#!/usr/bin/env node
// Side-by-side benchmark: leakfinder's snapshot engine vs memlab 2.x full heap load vs Chrome DevTools' loader.
//
//   node bench/run.mjs                                  every bench/out/heap-*.heapsnapshot, all three tools
//   node bench/run.mjs --sizes 100mb,500mb              only those generated sizes
//   node bench/run.mjs --tools leakfinder,devtools --files /tmp/x.heapsnapshot
//   node bench/run.mjs --report                         reprint the tables from bench/out/results.json
//
// Each tool runs alone in its own child process (never two at once), so peak RSS is per tool. Wall time is
// the whole child process (Node start, module load, parse, analysis), measured by the parent; the tool also
// reports its own load-phase time. Peak RSS comes from /usr/bin/time (%M, also when the child dies) or, without
// it, from the child's process.resourceUsage().maxRSS. A watchdog kills a child that runs past the timeout or
// above the RSS limit (the machine is shared). Failures (out of memory, crash, timeout) are reported as rows.
// Results are merged into bench/out/results.json by file, so big sizes can be run one at a time.

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'out');
const ALL_TOOLS = ['leakfinder', 'memlab', 'devtools'];
const TIME_BIN = '/usr/bin/time';

function parseArgs(argv) {
  const opts = {
    tools: ALL_TOOLS,
    sizes: null,
    files: [],
    timeoutS: null,
    maxOldSpaceMb: 14336,
    rssLimitMb: 16384,
    results: join(outDir, 'results.json'),
    report: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--tools') opts.tools = next().split(',').filter(Boolean);
    else if (a === '--sizes') opts.sizes = next().toLowerCase().split(',').filter(Boolean);
    else if (a === '--files') opts.files.push(...next().split(',').filter(Boolean));
    else if (a === '--timeout-s') opts.timeoutS = Number(next());
    else if (a === '--max-old-space-mb') opts.maxOldSpaceMb = Number(next());
    else if (a === '--rss-limit-mb') opts.rssLimitMb = Number(next());
    else if (a === '--results') opts.results = resolve(next());
    else if (a === '--report') opts.report = true;
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 8).join('\n'));
      process.exit(0);
    } else if (a.endsWith('.heapsnapshot')) opts.files.push(a);
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  for (const t of opts.tools) if (!ALL_TOOLS.includes(t)) throw new Error(`unknown tool ${t} (one of ${ALL_TOOLS.join(', ')})`);
  return opts;
}

function pickFiles(opts) {
  if (opts.files.length > 0) return opts.files.map((f) => resolve(f));
  if (!existsSync(outDir)) return [];
  let files = readdirSync(outDir)
    .filter((f) => /^heap-.+\.heapsnapshot$/.test(f))
    .map((f) => join(outDir, f));
  if (opts.sizes) files = files.filter((f) => opts.sizes.includes(labelOf(f)));
  return files.sort((a, b) => statSync(a).size - statSync(b).size);
}

function labelOf(file) {
  return basename(file).replace(/^heap-/, '').replace(/\.heapsnapshot$/, '');
}

/** Reads the whole file once so every tool starts with the same (warm) page cache. */
async function warmPageCache(file) {
  for await (const _ of createReadStream(file, { highWaterMark: 8 << 20 })) {
    // discard
  }
}

function rssOfChildrenKb(pid) {
  // /usr/bin/time's child is the node process; sum VmRSS over the direct children (and the pid itself).
  let total = 0;
  const pids = [pid];
  try {
    pids.push(...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return 0;
  }
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Runs one tool on one file in a child process; resolves to a result row (never rejects). */
function runTool(tool, file, opts, logPath) {
  const fileBytes = statSync(file).size;
  const timeoutMs = (opts.timeoutS ?? Math.max(120, Math.ceil(fileBytes / 1e6) * 0.6)) * 1000;
  const resultPath = join(outDir, `.result-${process.pid}-${tool}.json`);
  const timePath = join(outDir, `.time-${process.pid}-${tool}.txt`);
  rmSync(resultPath, { force: true });
  rmSync(timePath, { force: true });
  const nodeArgs = [`--max-old-space-size=${opts.maxOldSpaceMb}`, join(here, 'tools', `${tool}.mjs`), file, resultPath];
  const useTime = existsSync(TIME_BIN);
  const [cmd, args] = useTime ? [TIME_BIN, ['-f', '%e %M %U %S', '-o', timePath, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];

  return new Promise((done) => {
    const log = [];
    // The machine is shared: the 1-minute load average at start says how contended this run was.
    const loadAvgAtStart = Number(os.loadavg()[0].toFixed(2));
    const t0 = performance.now();
    // detached: own process group, so the watchdog can kill /usr/bin/time and node together by group id.
    const child = spawn(cmd, args, { cwd: here, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' } });
    child.stdout.on('data', (d) => log.push(d));
    child.stderr.on('data', (d) => log.push(d));
    let killedFor = null;
    let watchPeakKb = 0;
    const kill = (why) => {
      if (killedFor) return;
      killedFor = why;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    let loadSum = 0;
    let loadSamples = 0;
    const watch = setInterval(() => {
      loadSum += os.loadavg()[0];
      loadSamples++;
      const kb = rssOfChildrenKb(child.pid);
      watchPeakKb = Math.max(watchPeakKb, kb);
      if (kb > opts.rssLimitMb * 1024) kill('rss-limit');
    }, 250);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      const wallMs = performance.now() - t0;
      const text = Buffer.concat(log).toString('utf8');
      writeFileSync(logPath, text, { mode: 0o600 });
      let timeRssBytes = null;
      let cpuMs = null;
      if (useTime && existsSync(timePath)) {
        const lines = readFileSync(timePath, 'utf8').trim().split('\n');
        const m = /^([\d.]+) (\d+)(?: ([\d.]+) ([\d.]+))?$/.exec(lines[lines.length - 1] ?? '');
        if (m) timeRssBytes = Number(m[2]) * 1024;
        if (m?.[3] !== undefined) cpuMs = Math.round((Number(m[3]) + Number(m[4])) * 1000);
        rmSync(timePath, { force: true });
      }
      let reported = null;
      if (existsSync(resultPath)) {
        reported = JSON.parse(readFileSync(resultPath, 'utf8'));
        rmSync(resultPath, { force: true });
      }
      const peakRssBytes = timeRssBytes ?? reported?.maxRssBytes ?? (watchPeakKb ? watchPeakKb * 1024 : null);
      // /usr/bin/time exits with its child's status, so `code` is node's exit code either way.
      const exitCode = code;
      let status = 'ok';
      let error = null;
      if (killedFor === 'timeout') status = 'timeout';
      else if (killedFor === 'rss-limit') status = 'rss-limit';
      else if (reported?.ok !== true || exitCode !== 0) {
        // `string-limit`: the tool built one JS string longer than V8 allows (~512 M characters in Node 20),
        // e.g. a snapshot's whole `strings` section: not a lack of RAM.
        status = /Invalid string length|ERR_STRING_TOO_LONG|Cannot create a string longer/i.test(text)
          ? 'string-limit'
          : /heap out of memory|Allocation failed|Array buffer allocation failed|Invalid (array|typed array) length/i.test(text)
            ? 'oom'
            : 'crash';
        error = lastErrorLine(text) ?? `exit ${exitCode ?? ''} ${signal ?? ''}`.trim();
      }
      done({
        tool,
        status,
        error,
        wallMs: Math.round(wallMs),
        // user + system CPU of the child (all its threads): steadier than wall time on a shared machine.
        cpuMs,
        loadMs: reported?.loadMs ?? null,
        peakRssBytes,
        peakRssAfterLoadBytes: reported?.maxRssAfterLoadBytes ?? null,
        timeoutMs,
        loadAvgAtStart,
        // Mean of the 1-minute load average sampled during the run (2 cores: above ~2 the tool shared its CPU).
        loadAvgDuring: loadSamples > 0 ? Number((loadSum / loadSamples).toFixed(2)) : loadAvgAtStart,
        facts: reported
          ? {
              nodeCount: reported.nodeCount,
              edgeCount: reported.edgeCount,
              rootRetainedBytes: reported.rootRetainedBytes,
              classes: reported.classes,
              extra: reported.extra ?? null,
            }
          : null,
        log: logPath,
      });
    });
  });
}

function lastErrorLine(text) {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim())
    .filter(Boolean);
  // Most telling first: V8's fatal line, then a thrown error's message, then anything error-like.
  for (const pattern of [/FATAL ERROR/, /^(\w*Error|Error)\b.*:/, /error|out of memory|abort/i]) {
    const hit = [...lines].reverse().find((l) => pattern.test(l) && !/^at /.test(l) && !/^\d+: 0x/.test(l));
    if (hit) return hit;
  }
  return lines[lines.length - 1] ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------------------

const fmtS = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(1)} s`);
const fmtMb = (b) => (b == null ? '–' : b >= 1e9 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);

function fileHeading(entry) {
  const n = entry.nodeCount != null ? `, ${(entry.nodeCount / 1e6).toFixed(1)} M nodes, ${(entry.edgeCount / 1e6).toFixed(1)} M edges` : '';
  return `${entry.label}: ${fmtMb(entry.fileBytes)}${n}`;
}

export function renderTables(results) {
  const out = [];
  out.push('| file | tool | status | wall (process) | load phase | CPU user+sys | peak RSS | RSS / file | ours faster by (wall) | by CPU | ours RSS vs | load avg (2 cores) |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const entry of Object.values(results.files).sort((a, b) => a.fileBytes - b.fileBytes)) {
    const ours = entry.runs.find((r) => r.tool === 'leakfinder' && r.status === 'ok');
    for (const r of entry.runs) {
      const okRun = r.status === 'ok';
      const speed = ours && okRun && r.tool !== 'leakfinder' ? fmtX(r.wallMs / ours.wallMs) : '';
      const cpu = ours && okRun && r.tool !== 'leakfinder' && r.cpuMs && ours.cpuMs ? fmtX(r.cpuMs / ours.cpuMs) : '';
      const mem = ours && okRun && r.tool !== 'leakfinder' && r.peakRssBytes ? fmtX(ours.peakRssBytes / r.peakRssBytes) : '';
      const status = okRun ? 'ok' : `**${r.status}**${r.error ? ` (${r.error.slice(0, 80).replace(/\|/g, '/')})` : ''}`;
      out.push(
        `| ${fileHeading(entry)} | ${r.tool} | ${status} | ${fmtS(r.wallMs)} | ${fmtS(r.loadMs)} | ${fmtS(r.cpuMs)} | ${fmtMb(r.peakRssBytes)} | ` +
          `${r.peakRssBytes ? fmtX(r.peakRssBytes / entry.fileBytes) : '–'} | ${speed} | ${cpu} | ${mem} | ${r.loadAvgDuring ?? r.loadAvgAtStart ?? '–'} |`,
      );
    }
  }
  return out.join('\n');
}

/** Agreement between the tools: node/edge counts, root retained size, and the generated classes' counts. */
export function renderCrossCheck(results) {
  const out = [];
  for (const entry of Object.values(results.files).sort((a, b) => a.fileBytes - b.fileBytes)) {
    const ok = entry.runs.filter((r) => r.status === 'ok' && r.facts);
    if (ok.length === 0) continue;
    out.push(`\n${fileHeading(entry)}`);
    const cols = ok.map((r) => r.tool);
    const header = ['', ...(entry.expectedCounts ? ['expected'] : []), ...cols, 'agree'];
    out.push(`| ${header.join(' | ')} |`);
    out.push(`|${header.map(() => '---').join('|')}|`);
    const row = (name, expected, values) => {
      const all = [...(expected != null ? [expected] : []), ...values].filter((v) => v != null);
      const agree = all.length > 1 && all.every((v) => v === all[0]) ? 'yes' : all.length > 1 ? '**NO**' : '';
      const cells = [...(entry.expectedCounts ? [expected ?? '–'] : []), ...values.map((v) => v ?? '–')];
      out.push(`| ${name} | ${cells.join(' | ')} | ${agree} |`);
    };
    row('nodes', null, ok.map((r) => r.facts.nodeCount));
    row('edges', null, ok.map((r) => r.facts.edgeCount));
    row('root retained bytes', null, ok.map((r) => r.facts.rootRetainedBytes));
    const names = entry.expectedCounts ? Object.keys(entry.expectedCounts) : Object.keys(ok[0].facts.classes ?? {}).slice(0, 12);
    for (const name of names) row(`count ${name}`, entry.expectedCounts?.[name] ?? null, ok.map((r) => r.facts.classes?.[name]?.count ?? null));
    // Retained bytes per class: memlab has no class-level retained size (its class table is ours to build).
    if (ok.some((r) => r.tool !== 'memlab')) {
      for (const name of names) row(`retained ${name}`, null, ok.map((r) => (r.tool === 'memlab' ? null : r.facts.classes?.[name]?.retainedBytes ?? null)));
    }
  }
  return out.join('\n');
}

/** One line per file: how many compared values agree across the tools (and which do not). */
export function renderAgreement(results) {
  const out = [];
  for (const entry of Object.values(results.files).sort((a, b) => a.fileBytes - b.fileBytes)) {
    const ok = entry.runs.filter((r) => r.status === 'ok' && r.facts);
    if (ok.length === 0 || (ok.length < 2 && !entry.expectedCounts)) continue;
    let compared = 0;
    const differ = [];
    const check = (what, values) => {
      const present = values.filter((v) => v != null);
      if (present.length < 2) return;
      compared++;
      if (!present.every((v) => v === present[0])) differ.push(what);
    };
    check('nodes', ok.map((r) => r.facts.nodeCount));
    check('edges', ok.map((r) => r.facts.edgeCount));
    check('root retained', ok.map((r) => r.facts.rootRetainedBytes));
    // Without the generator's counts (a file made elsewhere), compare the classes the tools reported.
    const names = entry.expectedCounts ? Object.keys(entry.expectedCounts) : Object.keys(ok[0].facts.classes ?? {});
    for (const n of names) check(`count ${n}`, [entry.expectedCounts?.[n] ?? null, ...ok.map((r) => r.facts.classes?.[n]?.count ?? null)]);
    for (const n of names) check(`retained ${n}`, ok.filter((r) => r.tool !== 'memlab').map((r) => r.facts.classes?.[n]?.retainedBytes ?? null));
    out.push(`${entry.label}: ${ok.map((r) => r.tool).join(' / ')}${entry.expectedCounts ? ' / generator counts' : ''}: ${compared - differ.length} of ${compared} compared values agree${differ.length ? `; differ: ${differ.join(', ')}` : ''}`);
  }
  return out.join('\n');
}

function renderRatios(results) {
  const out = [];
  for (const entry of Object.values(results.files).sort((a, b) => a.fileBytes - b.fileBytes)) {
    const get = (t) => entry.runs.find((r) => r.tool === t);
    const ours = get('leakfinder');
    if (!ours) continue;
    const parts = [];
    for (const other of ['memlab', 'devtools']) {
      const r = get(other);
      if (!r) continue;
      if (ours.status !== 'ok') parts.push(`ours ${ours.status}`);
      else if (r.status !== 'ok') parts.push(`${other} ${r.status} (ours ok in ${fmtS(ours.wallMs)})`);
      else parts.push(`${fmtX(r.wallMs / ours.wallMs)} faster than ${other}, ${fmtX(ours.peakRssBytes / r.peakRssBytes)} its peak RSS`);
    }
    const rssGoal = ours.status === 'ok' ? ` ours peak RSS = ${fmtX(ours.peakRssBytes / entry.fileBytes)} file size` : '';
    out.push(`${entry.label}: ${parts.join('; ')};${rssGoal}`);
  }
  return out.join('\n');
}

/** Which engine code was measured: last commit touching snapshot/, and whether the tree had uncommitted edits there. */
function engineRevision() {
  const repo = join(here, '..');
  const git = (...args) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('log', '-1', '--format=%h %cI', '--', 'packages/leakfinder/src/snapshot');
  const dirty = git('status', '--porcelain', '--', 'packages/leakfinder/src/snapshot') !== '';
  return `${commit || 'unknown'}${dirty ? ' + uncommitted edits' : ''}`;
}

function machineLine() {
  const cpus = os.cpus();
  return `${new Date().toISOString().slice(0, 10)}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.versions.node}, ${os.platform()} ${os.release()}`;
}

function loadResults(path) {
  if (!existsSync(path)) return { machine: null, files: {} };
  return JSON.parse(readFileSync(path, 'utf8'));
}

function saveResults(path, results) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(`${path}.partial`, `${JSON.stringify(results, null, 1)}\n`, { mode: 0o600 });
  renameSync(`${path}.partial`, path);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = loadResults(opts.results);
  if (opts.report) {
    console.log(`machine: ${results.machine}\n\n${renderTables(results)}\n\n${renderRatios(results)}\n\n${renderAgreement(results)}\n${renderCrossCheck(results)}`);
    return;
  }
  const files = pickFiles(opts);
  if (files.length === 0) {
    console.error('no snapshots: run `node bench/generate-snapshot.mjs 100MB 500MB` first, or pass --files');
    process.exit(2);
  }
  mkdirSync(join(outDir, 'logs'), { recursive: true, mode: 0o700 });
  chmodSync(outDir, 0o700);
  results.machine = machineLine();
  for (const file of files) {
    const label = labelOf(file);
    const fileBytes = statSync(file).size;
    const metaPath = file.replace(/\.heapsnapshot$/, '.meta.json');
    const meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : null;
    const key = resolve(file);
    const entry = (results.files[key] = {
      label,
      file: key,
      fileBytes,
      nodeCount: meta?.nodes ?? null,
      edgeCount: meta?.edges ?? null,
      expectedCounts: meta?.expectedCounts ?? null,
      measuredAt: new Date().toISOString(),
      runs: (results.files[key]?.runs ?? []).filter((r) => !opts.tools.includes(r.tool)),
    });
    console.error(`\n${label} (${fmtMb(fileBytes)}): warming page cache...`);
    await warmPageCache(file);
    for (const tool of opts.tools) {
      console.error(`${label}: ${tool}...`);
      const row = await runTool(tool, file, opts, join(outDir, 'logs', `${label}-${tool}.log`));
      if (tool === 'leakfinder') row.engine = engineRevision();
      if (entry.nodeCount == null && row.facts) {
        entry.nodeCount = row.facts.nodeCount;
        entry.edgeCount = row.facts.edgeCount;
      }
      console.error(`${label}: ${tool}: ${row.status}${row.error ? ` (${row.error})` : ''}, wall ${fmtS(row.wallMs)}, load ${fmtS(row.loadMs)}, peak RSS ${fmtMb(row.peakRssBytes)}`);
      entry.runs = entry.runs.filter((r) => r.tool !== tool).concat(row);
      entry.runs.sort((a, b) => ALL_TOOLS.indexOf(a.tool) - ALL_TOOLS.indexOf(b.tool));
      saveResults(opts.results, results);
    }
  }
  console.log(`machine: ${results.machine}\n\n${renderTables(results)}\n\n${renderRatios(results)}\n\n${renderAgreement(results)}\n${renderCrossCheck(results)}`);
  console.log(`\nresults: ${opts.results}`);
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(2);
});
