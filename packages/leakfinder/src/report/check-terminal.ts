import { formatBytes, formatCount, formatDurationMs } from '../units.js';
import { renderComparisonLines } from './comparison-terminal.js';
import type { CheckReport } from './model.js';
import { shortenPath } from './short-path.js';

const verdictLine = (verdict: CheckReport['verdict'], unit: string): string =>
  ({
    leak: `LEAK: something grows with every ${unit}`,
    clean: `CLEAN: nothing grows per ${unit}`,
    inconclusive: 'INCONCLUSIVE: no verdict',
  })[verdict];

/** The human summary of a `check` run: verdict, findings, one retainer path each, curve, thresholds, timing. */
export function renderCheckTerminal(report: CheckReport): string {
  const out: string[] = [];
  // Scenario runs (#15) measure per iteration; every "per request" below is per that unit.
  const unit = report.unit ?? 'request';
  out.push(`leakfinder ${report.command}: ${verdictLine(report.verdict, unit)}`);
  if (report.reason !== null) out.push(`  reason: ${report.reason}`);
  const s = report.requests.byStatus;
  const scenario = report.scenario;
  if (scenario === undefined) {
    out.push(
      `  requests: ${formatCount(report.requests.warmup)} warm-up + ${formatCount(report.requests.measured)} measured ` +
        `(2xx ${formatCount(s['2xx'])}, 3xx ${formatCount(s['3xx'])}, 4xx ${formatCount(s['4xx'])}, 5xx ${formatCount(s['5xx'])}, failed ${formatCount(s.failed)})`,
    );
  } else {
    const h = scenario.httpByStatus;
    const iterations = s['2xx'] + s.failed;
    out.push(`  scenario: ${scenario.file}`);
    out.push(
      `  iterations: ${formatCount(report.requests.warmup)} warm-up + ${formatCount(report.requests.measured)} measured ` +
        `(ok ${formatCount(s['2xx'])}, failed ${formatCount(s.failed)}), ` +
        (scenario.httpRequests === 0
          ? 'no HTTP requests through its `fetch`'
          : `with ${formatCount(scenario.httpRequests)} HTTP requests inside (${formatRate(scenario.httpRequests / Math.max(iterations, 1))} per iteration; ` +
            `2xx ${formatCount(h['2xx'])}, 3xx ${formatCount(h['3xx'])}, 4xx ${formatCount(h['4xx'])}, 5xx ${formatCount(h['5xx'])}, failed ${formatCount(h.failed)})`),
    );
    const e = scenario.firstError;
    if (e !== null) out.push(`  first failed iteration: ${e.message}${e.file !== null && !e.message.endsWith(`:${e.line})`) ? ` at ${e.file}:${e.line}` : ''}`);
  }
  out.push('');
  if (report.findings.length > 0) {
    out.push(`What grows per ${unit}:`);
    const rows = report.findings.map((f) => [
      f.group,
      objectsText(f),
      `${formatRate(f.bytesPerRequest)} B`,
      `r² ${f.fitR2.toFixed(3)}`,
    ]);
    out.push(...table(['group', `per ${unit}`, `bytes/${unit}`, 'fit'], rows).map((l) => `  ${l}`));
    report.findings.forEach((f, i) => {
      out.push('');
      out.push(`  ${i + 1}. ${f.group}: ${isBytesOnly(f) ? '' : `≈${formatRate(f.countPerRequest)} objects and `}${formatRate(f.bytesPerRequest)} bytes per ${unit}`);
      // Refined kinds (session-per-request, #6) carry their proof as sentences in `evidence.summary`.
      if (f.kind !== 'per-request-growth') out.push(`     kind:    ${f.kind}`);
      for (const line of (f.evidence.summary as readonly string[] | undefined) ?? []) out.push(`     proof:   ${line}`);
      if (f.holder) out.push(`     held by: ${f.holder.description}${f.holder.file ? ` (${f.holder.file}${f.holder.line ? `:${f.holder.line}` : ''})` : ''}`);
      if (f.retainerPath.length > 0) out.push(`     path:    ${shortenPath(f.retainerPath).join(' → ')}`);
      if (f.creationSite) out.push(`     created: ${createdLine(f.creationSite)}`);
      const callers = callersLine(f.creationSite, f.creationStack);
      if (callers !== '') out.push(`     via:     ${callers}`);
      const counts = (f.evidence.counts as number[] | undefined) ?? [];
      if (counts.length > 0) out.push(`     counts:  ${counts.map((c) => formatCount(c)).join(' → ')}`);
      const also = (f.evidence.alsoGrowing as { group: string; countPerRequest: number }[] | undefined) ?? [];
      if (also.length > 0) out.push(`     with:    ${also.map((g) => `${g.group} (≈${formatRate(g.countPerRequest)}/${unit})`).join('; ')}`);
      out.push(`     advice:  ${f.advice}`);
    });
    out.push('');
  }
  if (report.checkpoints.length > 0) {
    out.push('Checkpoints (after forced GC):');
    const rows = report.checkpoints.map((c) => [
      formatCount(c.requests),
      formatBytes(c.heapUsedBytes),
      formatBytes(c.externalBytes),
      formatBytes(c.rssBytes),
      formatDurationMs(c.overheadMs),
    ]);
    out.push(...table([`${unit}s`, 'heapUsed', 'external', 'rss', 'GC+snapshot'], rows).map((l) => `  ${l}`));
    out.push(`  ${curve(report.checkpoints.map((c) => c.heapUsedBytes))}  heapUsed`);
    if (report.heapUsedBytesPerRequest !== null) {
      out.push(`  heapUsed slope: ${formatRate(report.heapUsedBytesPerRequest)} B/${unit} (context only; the verdict uses live counts per group)`);
    }
    out.push('');
  }
  out.push('Thresholds:');
  out.push(
    `  ${Object.entries(report.thresholds)
      .map(([k, v]) => `${k}=${typeof v === 'string' && v === '' ? '-' : String(v)}`)
      .join(', ')}`,
  );
  if (report.comparison !== undefined) out.push(...renderComparisonLines(report.comparison), '');
  for (const w of report.warnings) out.push(`warning: ${w}`);
  out.push(
    `Time: ${formatDurationMs(report.timing.wallMs)} wall, of which GC + snapshots ${formatDurationMs(report.timing.snapshotOverheadMs)}, ` +
      `${unit}s ${formatDurationMs(report.timing.loadMs)}, final analysis ${formatDurationMs(report.timing.analysisMs)}`,
  );
  if (report.snapshots.kept) out.push(`Snapshots kept in ${report.snapshots.directory} (${report.snapshots.files.length} files, mode 0600)`);
  return `${out.join('\n')}\n`;
}

function formatRate(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const bars = '▁▂▃▄▅▆▇█';
/** A one-line sparkline of the values, lowest to highest. */
function curve(values: readonly number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.map((v) => bars[max === min ? 0 : Math.round(((v - min) / (max - min)) * (bars.length - 1))]).join('');
}

/** A library frame (node_modules, `node:` modules, V8 builtins): folded in the `via:` line (#5). */
function isLibraryFile(file: string): boolean {
  return file === '' || file.startsWith('node:') || file.startsWith('internal/') || /[/\\]node_modules[/\\]/.test(file);
}

/**
 * `handle /app/server.js:14:29`, preceded by "probably" and followed by how it was found unless the site is
 * the objects' own allocation stack, agreed by most of them (issue #12: never a guess shown as fact).
 */
function createdLine(site: NonNullable<CheckReport['findings'][number]['creationSite']>): string {
  const where = `${site.functionName} ${site.file}:${site.line}:${site.column}`;
  if (site.foundBy === 'allocation-stack' && site.confidence === 'exact') return where;
  const how: Record<string, string> = {
    'allocation-stack': 'the objects\' allocation stacks, which disagree or leave the line uncertain',
    'sampled-stack': 'a sampled allocation stack, joined by name',
    'name-in-source': 'the class name in the source',
    'static-search': 'a search of the server source',
  };
  return `probably ${where} (${site.foundBy === undefined ? 'how it was found is unknown' : `from ${how[site.foundBy]}`})`;
}

/**
 * The callers of the creation site, nearest first, with each run of library frames folded into a count:
 * `handle (server.js:20) ← 4 frames in express ← main (index.js:3)`. At most three user frames.
 */
function callersLine(
  site: CheckReport['findings'][number]['creationSite'],
  stack: CheckReport['findings'][number]['creationStack'],
): string {
  if (site === null) return '';
  const at = stack.findIndex((fr) => fr.file === site.file && fr.line === site.line && fr.functionName === site.functionName);
  const parts: string[] = [];
  let folded: string[] = [];
  const flush = (): void => {
    if (folded.length === 0) return;
    const owners = [...new Set(folded)].join(', ');
    parts.push(folded.length === 1 ? `1 frame in ${owners}` : `${folded.length} frames in ${owners}`);
    folded = [];
  };
  let userFrames = 0;
  for (const frame of stack.slice(at + 1)) {
    if (isLibraryFile(frame.file)) {
      const pkg = [...frame.file.matchAll(/[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/g)].at(-1)?.[1];
      folded.push(pkg ?? (frame.file === '' ? 'V8' : frame.file.split(':')[0] === 'node' ? frame.file : 'node'));
      continue;
    }
    if (userFrames === 3) break;
    flush();
    userFrames++;
    parts.push(`${frame.functionName} (${frame.file.slice(frame.file.lastIndexOf('/') + 1)}:${frame.line})`);
  }
  flush();
  return parts.join(' ← ');
}

type ReportFinding = CheckReport['findings'][number];

/**
 * Findings that measured bytes, not objects (watch's sampled allocation sites that joined no class, the live
 * heap) have an object count of 0 by construction; every counted finding passed a count threshold above 0.
 * "≈0.00 objects" would read as a measurement. The HTML view applies the same rule.
 */
function isBytesOnly(f: ReportFinding): boolean {
  return f.countPerRequest === 0;
}

function objectsText(f: ReportFinding): string {
  return isBytesOnly(f) ? 'bytes only' : `≈${formatRate(f.countPerRequest)} objects`;
}
