import { formatFrame } from '../detect/creation-site.js';
import type { FindingHolder, SourceSite } from '../detect/finding.js';
import { formatBytes } from '../units.js';

/** One leak found by `expectNoLeak`, as it sits on the `AssertionError` (`error.leaks`) for reporters. */
export interface LeakReport {
  /** Class + retainer signature, e.g. "Object via Array `leaked`". */
  readonly group: string;
  readonly className: string;
  /** Least-squares slope of the group's live count against the calls. */
  readonly objectsPerIteration: number;
  /** Slope of the group's retained bytes against the calls. */
  readonly bytesPerIteration: number;
  /** Who keeps them ("Array `leaked` in module leaky.test.js", with its line when known). */
  readonly holder: FindingHolder | null;
  /** Root first; data keys shown as `<key>` unless `showValues`. */
  readonly retainerPath: readonly string[];
  /** Where they were created, mapped through source maps; null when no sampled stack could be joined. */
  readonly creationSite: SourceSite | null;
  /** Top first. */
  readonly creationStack: readonly SourceSite[];
  /** One sentence: what to change. */
  readonly advice: string;
  /** Measured calls at each snapshot (0 = after the warm-up), and the group's live count there. */
  readonly iterations: readonly number[];
  readonly counts: readonly number[];
  /** Other groups that grow inside the same holder, folded into this leak. */
  readonly alsoGrowing: readonly string[];
}

/** The assertion's message: one paragraph per leak, the culprit first. */
export function formatLeakMessage(leaks: readonly LeakReport[], iterations: number, warmup: number): string {
  const head =
    `expectNoLeak: ${leaks.length === 1 ? 'a group of objects grows' : `${leaks.length} groups of objects grow`} ` +
    `with the calls (${iterations} measured after ${warmup} warm-up, full GC before each snapshot)`;
  const parts = leaks.slice(0, 3).map((leak) => {
    const perCall = `${formatPerCall(leak.objectsPerIteration)} object${leak.objectsPerIteration === 1 ? '' : 's'}, ` +
      `${formatBytes(Math.max(0, leak.bytesPerIteration))} per call`;
    const lines = [`  ${leak.group}: +${perCall} (live ${leak.counts.join(' → ')} at calls ${leak.iterations.join(', ')})`];
    if (leak.holder !== null) {
      const where = leak.holder.file !== null && !leak.holder.description.includes(leak.holder.file)
        ? ` (${leak.holder.file}${leak.holder.line !== null ? `:${leak.holder.line}` : ''})`
        : leak.holder.line !== null && !/:\d+\)$/.test(leak.holder.description) ? `:${leak.holder.line}` : '';
      lines.push(`    held by:       ${leak.holder.description}${where}`);
    }
    if (leak.retainerPath.length > 0) lines.push(`    retainer path: ${leak.retainerPath.join(' → ')}`);
    lines.push(`    created at:    ${leak.creationSite === null ? '(unknown: no sampled allocation in your code makes this class)' : formatFrame(leak.creationSite)}`);
    if (leak.alsoGrowing.length > 0) lines.push(`    also growing:  ${leak.alsoGrowing.slice(0, 3).join('; ')}`);
    lines.push(`    fix:           ${leak.advice}`);
    return lines.join('\n');
  });
  const more = leaks.length > 3 ? [`  …and ${leaks.length - 3} more (see error.leaks)`] : [];
  return [head, ...parts, ...more].join('\n');
}

function formatPerCall(value: number): string {
  return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2);
}
