/**
 * From a group that grows per request to a report finding: retainer path and holder from the snapshot
 * engine's explanation, creation stacks ranked, advice in one sentence. Shared by `check` and `watch`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findDeclarationLine } from '../detect/declaration-line.js';
import type { Finding, FindingHolder } from '../detect/finding.js';
import type { GrowthCandidate } from '../detect/per-request-growth.js';
import type { GroupExplanationView } from './snapshot-engine.js';

/**
 * The `per-request-growth` finding of one growing group. `windowStart` is the first checkpoint of the window
 * the rule looked at, `checkpointCount` how many the run took.
 */
export function toGrowthFinding(
  candidate: GrowthCandidate,
  explanation: GroupExplanationView | undefined,
  windowStart: number,
  checkpointCount: number,
): Finding {
  const s = candidate.series;
  const stacks = explanation?.creationStacks ?? [];
  const stackTotal = stacks.reduce((sum, st) => sum + st.count, 0);
  const creationSites = stacks
    .filter((st) => st.frames.length > 0)
    .map((st) => ({ site: st.frames[0]!, share: stackTotal > 0 ? st.count / stackTotal : 0 }));
  return {
    kind: 'per-request-growth',
    className: s.className,
    group: s.signature === '' ? s.className : `${s.className} via ${s.signature}`,
    countPerRequest: candidate.countFit.slope,
    bytesPerRequest: candidate.bytesFit.slope,
    fitR2: candidate.countFit.r2,
    retainerPath: explanation?.retainerPath ?? [],
    holder: withDeclarationLine(explanation?.holder ?? null),
    creationSite: creationSites[0]?.site ?? null,
    creationStack: stacks[0]?.frames ?? [],
    creationSites,
    evidence: {
      requests: s.requests,
      counts: s.counts,
      retainedBytes: s.retainedBytes,
      risingIntervals: candidate.risingIntervals,
      intervals: candidate.intervals,
      slopeStdError: candidate.countFit.slopeStdError,
      firstCheckpoint: windowStart,
      checkpointCount,
    },
    advice: adviceFor(s.className, s.signature, explanation?.holder ?? null),
  };
}

/**
 * A module-level holder (`Map \`cache\` in module server.js`) comes from the heap with its file but no line: a
 * context slot has no position. The line is found by searching the module's own source; unreadable or
 * ambiguous source leaves it null.
 */
export function withDeclarationLine(holder: FindingHolder | null): FindingHolder | null {
  if (holder === null || holder.file === null || holder.line !== null) return holder;
  const name = /`([A-Za-z_$][\w$]*)` in module /.exec(holder.description)?.[1];
  if (name === undefined) return holder;
  try {
    const path = holder.file.startsWith('file://') ? fileURLToPath(holder.file) : holder.file;
    const line = findDeclarationLine(readFileSync(path, 'utf8'), name);
    return line === null ? holder : { ...holder, line };
  } catch {
    return holder; // not a file on this machine (eval'd code, a bundle's virtual path): no line
  }
}

/** One sentence on what to change, from the class, its retainer signature and holder. */
export function adviceFor(className: string, signature: string, holder: FindingHolder | null): string {
  const where = holder?.description ?? signature;
  const text = `${className} ${signature} ${holder?.description ?? ''}`;
  if (/listener|EventEmitter|_events/i.test(text)) {
    return `Remove the listener when the request ends (\`emitter.off\`), or register it once at startup, not per request.`;
  }
  if (/Timeout|Timer|setInterval/i.test(text)) return 'Clear the timer (`clearInterval`/`clearTimeout`) when the request is done.';
  if (/\bMap\b|\bSet\b/.test(where)) return `Delete the entry from ${where} when it is no longer needed, or bound it (LRU with a maximum size, TTL).`;
  if (/Array|\[\]/.test(where)) return `Trim ${where} or bound its length; it gets a new element per request and none is removed.`;
  return `Something keeps ${className} alive after each request${where ? ` (${where})` : ''}: release it when the request ends, or bound the collection.`;
}
