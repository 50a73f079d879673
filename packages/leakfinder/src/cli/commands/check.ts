import { createWriteStream, readFileSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareReports, readCheckReport } from '../../check/baseline.js';
import { check, checkDefaults, type CheckOptions } from '../../check/check.js';
import { resolveAllocStacksMode } from '../../check/alloc-stacks.js';
import { partialReportOf } from '../../check/interrupted-report.js';
import { LeakfinderError, usageError } from '../../errors.js';
import { renderCheckJson } from '../../report/check-json.js';
import { renderCheckTerminal } from '../../report/check-terminal.js';
import { renderHtml } from '../../report/html/render-html.js';
import type { CheckReport } from '../../report/model.js';
import { parseCommandArgs, parseIntegerFlag } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { assertOutputPaths, logFileMarker, writeFileAtomically } from '../output-paths.js';

const flags = {
  scenario: { type: 'string' },
  'iteration-timeout': { type: 'string' },
  path: { type: 'string', multiple: true },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  concurrency: { type: 'string' },
  'request-timeout': { type: 'string' },
  cookies: { type: 'boolean' },
  warmup: { type: 'string' },
  requests: { type: 'string' },
  checkpoints: { type: 'string' },
  'max-duration': { type: 'string' },
  'startup-timeout': { type: 'string' },
  port: { type: 'string' },
  url: { type: 'string' },
  'ready-path': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'keep-snapshots': { type: 'string' },
  'show-values': { type: 'boolean' },
  'alloc-stacks': { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  baseline: { type: 'string' },
  format: { type: 'string' },
  quiet: { type: 'boolean' },
  'log-file': { type: 'string' },
} as const;

type FlagValues = { -readonly [K in keyof typeof flags]?: (typeof flags)[K] extends { multiple: true } ? string[] : (typeof flags)[K]['type'] extends 'boolean' ? boolean : string };

const usage = `Usage: leakfinder check [options] -- <command...>

Starts the server under the inspector (PORT is set to a free port, and {port} anywhere in the command
becomes that port), drives requests, takes a heap snapshot at each checkpoint after a forced GC and reports
what grows per request. Exit 0 clean, 1 leak, 2 no verdict. Each finding names its kind and the fix for
it: listener-growth (remove the listener), handle-growth (clear the timer, close the socket), promise-growth
(settle the promise), external-growth (release the Buffers), session-per-request, or per-request-growth.

  leakfinder check -- node server.js
  leakfinder check --path '/orders/{n}' -- npm start
  leakfinder check -- json-server --port {port} db.json
  leakfinder check --scenario flow.mjs -- node server.js
  leakfinder check --baseline before.json --json after.json -- node server.js

Requests:
  --path <p>              path to request, repeatable (round-robin); {n} becomes the request number (default /)
  --method <m>            HTTP method (default GET)
  --header 'k: v'         extra request header, repeatable
  --body <text|@file>     request body
  --concurrency <n>       requests in flight (default ${checkDefaults.concurrency})
  --cookies               keep cookies the server sets (default: cookie-less)
  --request-timeout <s>   a request with no answer after this long counts as failed (default 30)
Scenario (instead of --path/--method/--body; growth is then per iteration):
  --scenario <file>       ES module: \`export default async function ({ fetch, n, state, signal, WebSocket })\`
                          is one iteration; optional \`setup({ baseUrl, fetch })\` returns state, \`teardown\`.
                          fetch('/login') goes to the server, cookie-less; fetch.withCookies() keeps them.
                          .ts works where tsx is installed. Run sizes count iterations. --header and
                          --cookies apply to its fetch. See docs/check.md.
  --iteration-timeout <s> an iteration that has not settled by then fails (default ${checkDefaults.iterationTimeoutMs / 1000})
Run size:
  --warmup <n>            requests before the first checkpoint (default ${checkDefaults.warmup})
  --requests <n>          measured requests, split over the intervals (default ${checkDefaults.requests})
  --checkpoints <k>       measured intervals, at least 4 (default ${checkDefaults.checkpoints})
  --max-duration <s>      upper bound when an unclear run is extended (default ${checkDefaults.maxDurationMs / 1000})
Server:
  --port <n>              the server listens on this fixed port instead of $PORT
  --url <http://h:p>      base URL of the server
  --ready-path <p>        ready when this path answers 2xx/3xx (default: when the port accepts)
  --startup-timeout <s>   default ${checkDefaults.startupTimeoutMs / 1000}
  --quiet                 server output to a log file instead of stderr (--log-file <path> names it)
Report:
  --ignore <className>    accept growth of this class, repeatable
  --keep-snapshots <dir>  keep the heap snapshots in a new folder under <dir>
  --show-values           show data keys in retainer paths (default <key>)
  --alloc-stacks <mode>   where leaked objects are created: rerun (default: when something grows, a short
                          second run with exact allocation stacks), tracking (exact, traces the whole run,
                          ~2-4x slower), sampling (sampled stacks joined by name: "probably"), off
  --json <file>           also write the JSON report to <file>
  --html <file>           also write the report as one self-contained HTML page (charts, findings with their
                          retainer paths, creation stacks and advice; opens from disk, fetches nothing)
  --format terminal|json  what to print on stdout (default terminal)
  --baseline <report>     proof of a fix: compare with an earlier \`check --json\` report. Each baseline finding
                          is fixed, smaller (with the slope ratio) or still leaking; a finding not in the
                          baseline is new. Exit 0 when every baseline leak is fixed and nothing new leaks,
                          1 otherwise, 2 when either run had no verdict (see also \`leakfinder compare\`)
Options can also come from leakfinder.config.json in the working directory, with the same names
(e.g. {"ignore": ["CacheEntry"], "requests": 2000, "path": ["/orders/{n}"]}); flags win.
Faults: output files are checked before the run (never an input, a .heapsnapshot or a file that is not
ours). Ctrl-C, a crash, a full disk or a timeout still write --json/--html with verdict inconclusive, the
checkpoints so far and the kept snapshots, exit 2; a second Ctrl-C quits at once. If leakfinder is killed,
a watchdog ends the server's process tree. Free disk is checked before each snapshot (see docs/faults.md).
`;

/** `leakfinder check`: the CLI face of `check()`. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'start a server, drive requests, find what leaks per request',
  usage,
  async run(args, io) {
    const separator = args.indexOf('--');
    const flagArgs = separator === -1 ? args : args.slice(0, separator);
    const parsed = parseCommandArgs('check', flagArgs, flags);
    const command = separator === -1 ? parsed.positionals : [...parsed.positionals, ...args.slice(separator + 1)];
    const values = { ...readConfig(io.cwd), ...(parsed.values as FlagValues) };
    const format = values.format ?? 'terminal';
    if (format !== 'terminal' && format !== 'json') throw usageError(`\`--format\` must be terminal or json, got ${JSON.stringify(format)}.`);
    const options = toCheckOptions(values, command, io);
    assertOutputPaths(
      [
        { flag: '--json', path: values.json, kind: 'json' },
        { flag: '--html', path: values.html, kind: 'html' },
        { flag: '--log-file', path: values['log-file'], kind: 'log' },
        { flag: '--keep-snapshots', path: values['keep-snapshots'], kind: 'directory' },
      ],
      [...checkInputs(values, command, io.cwd), ...(values.baseline === undefined ? [] : [values.baseline])],
      io.cwd,
    );
    // The baseline is read before the server starts: a wrong file costs nothing (#16).
    const baseline = values.baseline === undefined ? undefined : await readCheckReport(values.baseline, io.cwd, '`--baseline`');
    let log: WriteStream | undefined;
    if (values.quiet === true || values['log-file'] !== undefined) {
      const logPath = resolve(io.cwd, values['log-file'] ?? join(tmpdir(), `leakfinder-server-${process.pid}.log`));
      log = createWriteStream(logPath, { flags: 'a', mode: 0o600 });
      // The marker line lets a later run recognise this file as ours (output-paths.ts refuses any other file).
      log.write(`${logFileMarker}: ${new Date().toISOString()} ${command.join(' ')}\n`);
      io.stderr.write(`leakfinder: server output goes to ${logPath}\n`);
    }
    let report: CheckReport;
    try {
      report = await check({
        ...options,
        signal: io.signal,
        onProgress: (message) => io.stderr.write(`leakfinder: ${message}\n`),
        onServerOutput: (stream, line) => {
          if (log) log.write(`${stream}: ${line}\n`);
          else io.stderr.write(`[server] ${line}\n`);
        },
      });
    } catch (error) {
      // Every ending writes the report (issue #11): Ctrl-C, a crash, a full disk, a startup failure, a
      // timeout. The error's one line is printed by main, after it; the exit code is 2.
      const partial = partialReportOf(error);
      if (partial !== undefined) await writePartialReport(partial, format, values.json, values.html, io);
      throw error;
    } finally {
      // Awaited: the binary exits as soon as main() returns (bin/leakfinder.js).
      if (log !== undefined) await new Promise<void>((resolve) => log!.end(resolve));
    }
    if (baseline !== undefined) report = { ...report, comparison: compareReports(values.baseline!, baseline, report) };
    await writeReport(report, format, values.json, io, values.html);
    return exitCodeFor(report);
  },
};

function exitCodeFor(report: CheckReport): ExitCode {
  // With a baseline, the exit code says whether the fix worked (the verdict alone would say "leak" for a leak
  // that is only smaller, and "clean" hides nothing a comparison needs).
  if (report.comparison !== undefined) {
    const result = report.comparison.result;
    return result === 'pass' ? ExitCode.Ok : result === 'fail' ? ExitCode.Found : ExitCode.NoVerdict;
  }
  if (report.verdict === 'leak') return ExitCode.Found;
  if (report.verdict === 'clean') return ExitCode.Ok;
  return ExitCode.NoVerdict;
}

/**
 * Prints the report and writes `--json <file>` and `--html <file>` (each through a temp name, so it never looks
 * whole when cut short).
 */
export async function writeReport(
  report: CheckReport,
  format: string,
  jsonPath: string | undefined,
  io: CliIo,
  htmlPath?: string,
): Promise<void> {
  if (format !== 'none') io.stdout.write(format === 'json' ? renderCheckJson(report) : renderCheckTerminal(report));
  if (jsonPath !== undefined) await writeFileAtomically(resolve(io.cwd, jsonPath), renderCheckJson(report));
  if (htmlPath !== undefined) await writeFileAtomically(resolve(io.cwd, htmlPath), renderHtml(report));
}

/**
 * The report of a run that broke off: always to `--json` and `--html`; on stdout as JSON with `--format json`, and as the
 * terminal view only when something was measured (a startup failure is said in one line, not a page).
 * A failure to write it is said in one more line; the run's own error stays the one that counts.
 */
async function writePartialReport(report: CheckReport, format: string, jsonPath: string | undefined, htmlPath: string | undefined, io: CliIo): Promise<void> {
  if (format === 'json') io.stdout.write(renderCheckJson(report));
  else if (report.checkpoints.length > 0) io.stdout.write(renderCheckTerminal(report));
  const outputs: [string | undefined, () => string][] = [[jsonPath, () => renderCheckJson(report)], [htmlPath, () => renderHtml(report)]];
  for (const [path, render] of outputs) {
    if (path === undefined) continue;
    try {
      await writeFileAtomically(resolve(io.cwd, path), render());
    } catch (error) {
      io.stderr.write(`leakfinder: ${(error as Error).message}\n`);
    }
  }
}

/** Files this run reads, so no output flag may name one: the `--body @file`, the config, the command's files. */
function checkInputs(values: FlagValues, command: readonly string[], cwd: string): string[] {
  const inputs = [join(cwd, 'leakfinder.config.json')];
  if (values.body?.startsWith('@') === true) inputs.push(resolve(cwd, values.body.slice(1)));
  if (values.scenario !== undefined) inputs.push(resolve(cwd, values.scenario));
  for (const arg of command) {
    try {
      if (statSync(resolve(cwd, arg)).isFile()) inputs.push(resolve(cwd, arg));
    } catch {
      // Not a file (a flag, a word): not an input.
    }
  }
  return inputs;
}

function toCheckOptions(values: FlagValues, command: readonly string[], io: CliIo): CheckOptions {
  if (command.length === 0) throw usageError('no server command given: put it after `--`, e.g. `leakfinder check -- node server.js`.');
  const seconds = (name: keyof FlagValues): number | undefined => {
    const v = parseIntegerFlag(name, values[name] as string | undefined, 1);
    return v === undefined ? undefined : v * 1000;
  };
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw usageError(`\`--header\` must look like 'name: value', got ${JSON.stringify(h)}.`);
    headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  let body: Buffer | undefined;
  if (values.body !== undefined) {
    if (values.body.startsWith('@')) {
      const file = resolve(io.cwd, values.body.slice(1));
      try {
        body = readFileSync(file);
      } catch (error) {
        throw new LeakfinderError('LF_FILE_NOT_FOUND', `\`--body\` file ${file} cannot be read: ${(error as Error).message}`, { usage: true });
      }
    } else body = Buffer.from(values.body, 'utf8');
  }
  return {
    command,
    cwd: io.cwd,
    env: io.env,
    paths: values.path,
    method: values.method,
    headers,
    body,
    scenario: values.scenario === undefined ? undefined : resolve(io.cwd, values.scenario),
    iterationTimeoutMs: seconds('iteration-timeout'),
    concurrency: parseIntegerFlag('concurrency', values.concurrency, 1, 1024),
    requestTimeoutMs: seconds('request-timeout'),
    cookies: values.cookies,
    warmup: parseIntegerFlag('warmup', values.warmup, 0),
    requests: parseIntegerFlag('requests', values.requests, 1),
    checkpoints: parseIntegerFlag('checkpoints', values.checkpoints, 4, 1000),
    maxDurationMs: seconds('max-duration'),
    startupTimeoutMs: seconds('startup-timeout'),
    port: parseIntegerFlag('port', values.port, 1, 65535),
    url: values.url,
    readyPath: values['ready-path'],
    ignore: values.ignore,
    keepSnapshotsDir: values['keep-snapshots'] === undefined ? undefined : resolve(io.cwd, values['keep-snapshots']),
    showValues: values['show-values'],
    allocStacks: values['alloc-stacks'] === undefined ? undefined : resolveAllocStacksMode(values['alloc-stacks']),
  };
}

/** leakfinder.config.json in the working directory: the flags' names and values (numbers may be numbers). */
function readConfig(cwd: string): FlagValues {
  const file = join(cwd, 'leakfinder.config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw usageError(`${file} must hold a JSON object of option names.`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = (flags as Record<string, { type: string; multiple?: boolean }>)[key];
    if (!spec) throw usageError(`${file}: unknown option \`${key}\` (use the flag names, e.g. "ignore", "requests", "path").`);
    if (spec.multiple) {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((v) => typeof v === 'string')) throw usageError(`${file}: \`${key}\` must be a string or an array of strings.`);
      out[key] = list;
    } else if (spec.type === 'boolean') {
      if (typeof value !== 'boolean') throw usageError(`${file}: \`${key}\` must be true or false.`);
      out[key] = value;
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw usageError(`${file}: \`${key}\` must be a string or a number.`);
      out[key] = String(value);
    }
  }
  return out as FlagValues;
}
