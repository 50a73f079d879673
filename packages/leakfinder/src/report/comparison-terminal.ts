import type { ReportComparison } from './model.js';

const rate = (v: number): string => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The comparison with a baseline as lines of text (no trailing newline): one line per finding, then the result. */
export function renderComparisonLines(comparison: ReportComparison): string[] {
  const out = [`Compared with the baseline ${comparison.baseline} (${comparison.baselineVerdict} → ${comparison.verdict}):`];
  if (comparison.entries.length === 0) out.push('  no leak before, none now');
  const width = Math.max(0, ...comparison.entries.map((e) => e.status.length));
  for (const e of comparison.entries) {
    const before = e.before === null ? '' : `${rate(e.before.countPerRequest)}/request`;
    const after = e.after === null ? 'gone' : `${rate(e.after.countPerRequest)}/request`;
    const numbers = e.status === 'new' ? `${after}, ${e.kind}` : `${before} → ${after}${e.ratio === null ? '' : ` (ratio ${e.ratio.toFixed(2)})`}`;
    const moved = e.matchedBy !== null && e.matchedBy !== 'group' && e.after !== null ? `; now ${e.after.group} (matched by ${e.matchedBy})` : '';
    out.push(`  ${e.status.padEnd(width)}  ${e.group}: ${numbers}${moved}`);
  }
  const s = comparison.summary;
  const counts = `${s.fixed} fixed, ${s.smaller} smaller, ${s.stillLeaking} still leaking, ${s.new} new`;
  const result =
    comparison.result === 'pass'
      ? 'PASS: every baseline leak is fixed and nothing new leaks'
      : comparison.result === 'fail'
        ? `FAIL: ${s.smaller + s.stillLeaking > 0 ? 'a baseline leak remains' : ''}${s.smaller + s.stillLeaking > 0 && s.new > 0 ? ' and ' : ''}${s.new > 0 ? 'a new leak appeared' : ''}`
        : 'NO VERDICT: a run was inconclusive, so a missing finding proves nothing';
  out.push(`  ${counts}. ${result}`);
  return out;
}
