/**
 * Proof of a fix (#16): the findings of a baseline run against those of a later run. Pure; the CLI reads the
 * two reports (`leakfinder compare before.json after.json`, `check --baseline before.json`).
 *
 * Matching across runs, in this order (each later finding is used once):
 * 1. `group`: same class and same retainer signature, after removing what changes between processes
 *    (script ids `@12:3:4`, array indices `[57]`).
 * 2. `creation-site`: same class and same creation site (file name and function; the line when the function
 *    is anonymous). This matches a leak that moved holder: the fix put the objects somewhere else.
 * 3. `holder`: same class and same holder description (the path to the holder changed, the holder did not).
 * 4. `kind`: a `session-per-request` finding matches the later run's `session-per-request` finding of the
 *    same class.
 * A baseline finding with no match is `fixed`; a match is `smaller` when its count slope fell to at most
 * {@link compareLimits}.smallerRatio of the baseline's, else `still leaking`; a later finding that matched
 * nothing is `new`.
 */
import type { Finding, FindingKind } from './finding.js';

/** What became of one finding. */
export type ComparisonStatus = 'fixed' | 'smaller' | 'still leaking' | 'new';

/** How a baseline finding was matched to one of the later run. */
export type MatchedBy = 'group' | 'creation-site' | 'holder' | 'kind';

/** The numbers of one side of a comparison entry. */
export interface ComparedSide {
  readonly kind: FindingKind;
  readonly group: string;
  readonly countPerRequest: number;
  readonly bytesPerRequest: number;
}

/** One line of the comparison: a baseline finding and what became of it, or a new finding. */
export interface ComparisonEntry {
  readonly status: ComparisonStatus;
  /** The group as the baseline named it (for `new`: as the later run did). */
  readonly group: string;
  readonly className: string;
  readonly kind: FindingKind;
  readonly before: ComparedSide | null;
  readonly after: ComparedSide | null;
  /** after / before count per request; null for `fixed` and `new`. */
  readonly ratio: number | null;
  readonly matchedBy: MatchedBy | null;
}

/** Thresholds of the comparison. */
export const compareLimits = {
  /** A matched leak whose count slope is at most this share of the baseline's is `smaller`. */
  smallerRatio: 0.75,
} as const;

/** The group with what differs between processes removed: script ids, element indices. */
export function portableGroup(group: string): string {
  return group
    .replace(/@\d+:\d+:\d+/g, '')
    .replace(/`\[\d+\]`/g, '`[]`')
    .replace(/\[\d+\]/g, '[]');
}

/** Pairs the findings of two runs and says what became of each (see the file comment for the rules). */
export function compareFindings(before: readonly Finding[], after: readonly Finding[]): ComparisonEntry[] {
  const matchOf = new Map<Finding, { finding: Finding; by: MatchedBy }>();
  const used = new Set<Finding>();
  const tiers: [MatchedBy, (a: Finding, b: Finding) => boolean][] = [
    ['group', (a, b) => a.className === b.className && portableGroup(a.group) === portableGroup(b.group)],
    ['creation-site', (a, b) => a.className === b.className && siteKey(a) !== null && siteKey(a) === siteKey(b)],
    ['holder', (a, b) => a.className === b.className && a.holder !== null && b.holder !== null && a.holder.description === b.holder.description],
    ['kind', (a, b) => a.kind === 'session-per-request' && b.kind === 'session-per-request' && a.className === b.className],
  ];
  for (const [by, same] of tiers) {
    for (const b of before) {
      if (matchOf.has(b)) continue;
      const a = after.find((candidate) => !used.has(candidate) && same(b, candidate));
      if (a === undefined) continue;
      matchOf.set(b, { finding: a, by });
      used.add(a);
    }
  }
  const entries: ComparisonEntry[] = before.map((b) => {
    const match = matchOf.get(b);
    if (match === undefined) {
      return { status: 'fixed', group: b.group, className: b.className, kind: b.kind, before: side(b), after: null, ratio: null, matchedBy: null };
    }
    const ratio = b.countPerRequest > 0 ? match.finding.countPerRequest / b.countPerRequest : 1;
    return {
      status: ratio <= compareLimits.smallerRatio ? 'smaller' : 'still leaking',
      group: b.group,
      className: b.className,
      kind: match.finding.kind,
      before: side(b),
      after: side(match.finding),
      ratio,
      matchedBy: match.by,
    };
  });
  for (const a of after) {
    if (used.has(a)) continue;
    entries.push({ status: 'new', group: a.group, className: a.className, kind: a.kind, before: null, after: side(a), ratio: null, matchedBy: null });
  }
  return entries;
}

/** True when the comparison fails a fix: a baseline leak remains (smaller or not) or a new one appeared. */
export function comparisonFails(entries: readonly ComparisonEntry[]): boolean {
  return entries.some((e) => e.status !== 'fixed');
}

function side(f: Finding): ComparedSide {
  return { kind: f.kind, group: f.group, countPerRequest: f.countPerRequest, bytesPerRequest: f.bytesPerRequest };
}

/** File name + function of the creation site (the line only for anonymous functions: edits move lines). */
function siteKey(f: Finding): string | null {
  const site = f.creationSite;
  if (site === null) return null;
  const file = site.file.slice(site.file.lastIndexOf('/') + 1);
  const anonymous = site.functionName === '' || site.functionName === '(anonymous)';
  return `${file}#${anonymous ? `:${site.line}` : site.functionName}`;
}
