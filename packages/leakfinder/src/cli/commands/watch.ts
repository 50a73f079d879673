import { resolve } from 'node:path';
import { LeakfinderError, usageError } from '../../errors.js';
import type { CheckReport } from '../../report/model.js';
import { parseDurationMs, watch, watchDefaults, type WatchOptions } from '../../watch/watch.js';
import { tool } from '../../version.js';
import { parseCommandArgs, parseIntegerFlag } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { assertOutputPaths } from '../output-paths.js';
import { startWatchUi } from '../watch-ui.js';
import { writeReport } from './check.js';

const flags = {
  pid: { type: 'string' },
  inspect: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  mode: { type: 'string' },
  per: { type: 'string' },
  every: { type: 'string' },
  'sampling-interval': { type: 'string' },
  'min-gap': { type: 'string' },
  duration: { type: 'string' },
  requests: { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'keep-snapshots': { type: 'string' },
  'show-values': { type: 'boolean' },
  json: { type: 'string' },
  html: { type: 'string' },
  ui: { type: 'boolean' },
  format: { type: 'string' },
} as const;

type FlagValues = { -readonly [K in keyof typeof flags]?: (typeof flags)[K] extends { multiple: true } ? string[] : (typeof flags)[K]['type'] extends 'boolean' ? boolean : string };

const usage = `Usage: leakfinder watch --pid <pid> | --inspect <host:port|ws://…> [options]

Watches a Node.js process that is already running, under its own traffic: no restart, no code change.
With --pid it opens the process's inspector the way \`node inspect -p\` does (SIGUSR1; Linux and macOS) and
closes it again at the end. It counts the requests the process serves (diagnostics_channel), measures at a
checkpoint every N requests and reports what grows per request, as \`check\` does. Ctrl-C ends the watch with
the verdict of what was measured; whatever ends it, the process is left as it was found.
Exit 0 clean, 1 leak, 2 no verdict (too little measured, the process exited, or it could not be attached).

Target:
  --pid <pid>             a Node process on this machine (same user, or run as root)
  --inspect <addr>        an inspector that is already open: 127.0.0.1:9229 or ws://127.0.0.1:9229/<id>
  --allow-remote          allow an --inspect address that is not loopback (anyone reaching it can run code)
How:
  --mode sampling|snapshot
                          sampling (default): V8's sampling heap profiler, live bytes per allocation site
                          per request; each read is one full GC in V8 (see --min-gap); one final
                          snapshot for holders when memory allows.
                          snapshot: forced GC + heap snapshot at each checkpoint, check's exact group rule;
                          pauses the target at each checkpoint (see docs/watch.md for the measured cost).
                          A snapshot that the target's memory (cgroup limit, free memory, V8 heap limit)
                          could not take is skipped, with the numbers, and the watch goes on sampling.
  --sampling-interval <bytes>
                          one sample per this many allocated bytes. Default: ${watchDefaults.busySamplingIntervalBytes} when the process
                          serves ≥ ${watchDefaults.busyRequestsPerSecond} requests/s as watch starts (measured for ${watchDefaults.rateProbeMs / 1000} s), else ${watchDefaults.quietSamplingIntervalBytes}.
                          The profiler's cost grows with samples: smaller sees small leaks in fewer
                          requests and costs a busy process more (docs/watch.md)
  --per request|time      growth per served HTTP request (default), or per second for a process that
                          serves no HTTP (a queue worker)
  --every <n|30s>         checkpoint every n requests (default ${watchDefaults.everyRequests}) or, with --per time,
                          every duration (default ${watchDefaults.everyMs / 1000}s)
  --min-gap <auto|5s|0>   least time between two checkpoints. Each checkpoint costs the target a full GC
                          (V8 collects garbage before every sampling profile read), so on a busy server
                          checkpoints are spaced by time too. auto (default): sampling mode at least ${watchDefaults.autoGapMs / 1000} s
                          and 100x the last read's pause (~1% of the target's time); snapshot mode no gap
End (default: Ctrl-C or the process's exit):
  --duration <10m|90s>    stop after this long
  --requests <n>          stop after the process served n requests
Report:
  --ignore <className>    accept growth of this class, repeatable
  --keep-snapshots <dir>  keep the heap snapshots in a new folder under <dir>
  --show-values           show data keys in retainer paths (default <key>)
  --json <file>           also write the JSON report (check's schema, "command": "watch")
  --html <file>           also write the report as one self-contained HTML page
  --ui                    a live page on 127.0.0.1 (random port; the printed URL carries a random token):
                          the counts, the rising candidates with their slopes and the findings, updated at
                          each checkpoint; the page saved with --html at the end is the same view
  --format terminal|json  what to print on stdout (default terminal)
Progress goes to stderr.
`;

/** `leakfinder watch`: the CLI face of `watch()`. */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'watch a running Node process under its real traffic: what grows per request',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs('watch', args, flags, false);
    const values = parsed.values as FlagValues;
    const format = values.format ?? 'terminal';
    if (format !== 'terminal' && format !== 'json') throw usageError(`\`--format\` must be terminal or json, got ${JSON.stringify(format)}.`);
    const options = toWatchOptions(values, io.cwd);
    assertOutputPaths(
      [
        { flag: '--json', path: values.json, kind: 'json' },
        { flag: '--html', path: values.html, kind: 'html' },
        { flag: '--keep-snapshots', path: values['keep-snapshots'], kind: 'directory' },
      ],
      [],
      io.cwd,
    );
    const ui = values.ui === true ? await startWatchUi(failedReport(options, 'attaching')) : undefined;
    if (ui) io.stderr.write(`leakfinder: live page: ${ui.url}\n`);
    let report: CheckReport;
    try {
      report = await watch({ ...options, signal: io.signal, onProgress: (m) => io.stderr.write(`leakfinder: ${m}\n`), onUpdate: ui === undefined ? undefined : (r) => ui.update(r) });
    } catch (error) {
      // Could not attach (or broke before measuring): the report still says what happened.
      if (LeakfinderError.is(error) && error.code !== 'LF_OPTION_INVALID') {
        await writeReport(failedReport(options, error.message), 'none', values.json, io, values.html).catch(() => undefined);
      }
      throw error;
    } finally {
      await ui?.close();
    }
    await writeReport(report, format, values.json, io, values.html);
    if (report.verdict === 'leak') return ExitCode.Found;
    if (report.verdict === 'clean') return ExitCode.Ok;
    return ExitCode.NoVerdict;
  },
};

function toWatchOptions(values: FlagValues, cwd: string): WatchOptions {
  const duration = (name: 'duration' | 'every', text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const ms = parseDurationMs(text);
    if (ms === null) throw usageError(`\`--${name}\` must be a duration like 90s, 10m or 1h, got ${JSON.stringify(text)}.`);
    return ms;
  };
  const per = values.per;
  let everyRequests: number | undefined;
  let everyMs: number | undefined;
  if (values.every !== undefined) {
    if (/^\d+$/.test(values.every) && per !== 'time') everyRequests = parseIntegerFlag('every', values.every, 1);
    else everyMs = duration('every', values.every);
  }
  return {
    pid: parseIntegerFlag('pid', values.pid, 1),
    inspect: values.inspect,
    allowRemote: values['allow-remote'],
    mode: values.mode as WatchOptions['mode'],
    per: per as WatchOptions['per'],
    everyRequests,
    everyMs,
    durationMs: duration('duration', values.duration),
    minGapMs: minGap(values['min-gap']),
    samplingIntervalBytes: parseIntegerFlag('sampling-interval', values['sampling-interval'], 64),
    requests: parseIntegerFlag('requests', values.requests, 1),
    ignore: values.ignore,
    showValues: values['show-values'],
    keepSnapshotsDir: values['keep-snapshots'] === undefined ? undefined : resolve(cwd, values['keep-snapshots']),
  };
}

/** `--min-gap`: auto, 0, or a duration. */
function minGap(text: string | undefined): number | 'auto' | undefined {
  if (text === undefined || text === 'auto') return text;
  if (/^0+(ms|s|m|h)?$/.test(text.trim())) return 0;
  const ms = parseDurationMs(text);
  if (ms === null) throw usageError(`\`--min-gap\` must be auto, 0 or a duration like 5s, got ${JSON.stringify(text)}.`);
  return ms;
}

/** The report of a watch that measured nothing (could not attach). */
function failedReport(options: WatchOptions, reason: string): CheckReport {
  return {
    schemaVersion: 1,
    tool,
    command: 'watch',
    unit: options.per === 'time' ? 'second' : 'request',
    verdict: 'inconclusive',
    reason,
    requests: { warmup: 0, measured: 0, byStatus: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 } },
    thresholds: {},
    checkpoints: [],
    findings: [],
    warnings: [],
    server: { command: [], baseUrl: null, pid: options.pid ?? null },
    timing: { wallMs: 0, snapshotOverheadMs: 0, analysisMs: 0, loadMs: 0 },
    snapshots: { directory: '', kept: false, files: [] },
    heapUsedBytesPerRequest: null,
  };
}
