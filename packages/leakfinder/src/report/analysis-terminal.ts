/** The terminal text of an analyze or diff report: aligned tables, one retainer path per row. */
import type { AnalysisReport, ClassEntry } from '../snapshot/analysis-report.js';
import { formatBytes, formatCount } from '../units.js';
import { shortenPath } from './short-path.js';

function signed(value: number, format: (v: number) => string): string {
  return value > 0 ? `+${format(value)}` : value < 0 ? `-${format(-value)}` : '0';
}

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function pathLine(path: readonly string[]): string {
  return path.length === 0 ? '' : `      ${shortenPath(path).join(' → ')}`;
}

/** Renders the report for a terminal (no colours: the output is often piped). */
export function renderAnalysisText(report: AnalysisReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    out.push(`${file.path}: ${formatBytes(file.fileBytes)} file, ${formatCount(file.nodeCount)} objects, ${formatCount(file.edgeCount)} references, heap ${formatBytes(file.heapBytes)}`);
  }
  out.push('');
  const multi = report.command === 'diff' || report.files.length > 1;
  if (report.command === 'analyze' && report.files.length > 1) {
    if (report.growth.length === 0) out.push('Nothing grows at every step.');
    else {
      out.push(`Growing at every step (${report.growth.length}):`);
      const rows = report.growth.map((g) => [truncate(g.className, 40), g.counts.map(formatCount).join(' → '), g.retainedBytes.map(formatBytes).join(' → ')]);
      const lines = table(['class', 'count', 'retained'], rows, new Set());
      out.push(lines[0]!);
      report.growth.forEach((g, i) => {
        out.push(lines[i + 1]!);
        if (g.retainerPath.length > 0) out.push(pathLine(g.retainerPath));
      });
    }
    out.push('');
  }
  const title = report.command === 'diff' ? 'Classes that changed (after vs before):' : multi ? 'Top classes in the last file:' : 'Top classes by retained size:';
  out.push(title);
  const headers = ['class', 'count', 'self', 'retained'];
  if (multi) headers.push('Δcount', 'Δretained');
  if (report.matchedByObjectId === true) headers.push('new', 'gone');
  const cells = (c: ClassEntry): string[] => {
    const row = [truncate(c.className, 40), formatCount(c.count), formatBytes(c.selfBytes), formatBytes(c.retainedBytes)];
    if (multi) row.push(signed(c.countDelta ?? 0, formatCount), signed(c.retainedBytesDelta ?? 0, formatBytes));
    if (report.matchedByObjectId === true) row.push(`+${formatCount(c.addedCount ?? 0)}`, `-${formatCount(c.removedCount ?? 0)}`);
    return row;
  };
  const lines = table(headers, report.classes.map(cells), new Set([1, 2, 3, 4, 5, 6, 7]));
  out.push(lines[0]!);
  report.classes.forEach((c, i) => {
    out.push(lines[i + 1]!);
    if (c.retainerPath.length > 0) out.push(pathLine(c.retainerPath));
  });
  if (report.newObjects !== undefined && report.newObjects.length > 0) {
    out.push('', 'New objects, grouped by who holds them:');
    for (const group of report.newObjects) {
      out.push(`  ${formatCount(group.count)} × ${group.group} (${formatBytes(group.selfBytes)})`);
      out.push(pathLine(group.retainerPath));
    }
  }
  for (const warning of report.warnings) out.push('', `warning: ${warning}`);
  return `${out.join('\n')}\n`;
}
