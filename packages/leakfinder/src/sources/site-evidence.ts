/**
 * Says how each creation site was found and how sure it is (issue #12: never a guess shown as fact), and
 * removes the site when the evidence is too weak to name a line. Pure.
 */
import type { CreationSite, Finding, SiteConfidence, SiteEvidence } from '../detect/finding.js';

/** Below this share of the group's objects the top allocation stack is one of several: `likely`, not `exact`. */
const kExactShare = 0.5;

/**
 * Sets `foundBy` and `confidence` on a finding's `creationSite`:
 * - `allocation-stack`: `exact` when the top site created at least half of the traced objects and its line
 *   is not the first of several calls in its function (`lineIsGuess`), else `likely`;
 * - `sampled-stack`: `likely` when the top user function creates the class by its own name (`new Order(`),
 *   `weak` when the join was only an object or array literal in a server (any handler has some:
 *   `literalJoins: 'weak'`; in-process tests of one small function say `likely`), and a weak site is removed: no line is better than a wrong one (it stays listed in `creationSites`).
 * Sites already carrying `foundBy` (the session install line) are left as they are.
 * @example
 * withSiteEvidence(finding, 'sampled-stack', 'Object').creationSite; // null: a literal join is weak
 */
export function withSiteEvidence(
  finding: Finding,
  foundBy: SiteEvidence,
  joinName?: string,
  literalJoins: 'weak' | 'likely' = 'weak',
  lineIsGuess = false,
): Finding {
  const site = finding.creationSite;
  if (site === null || site.foundBy !== undefined) return finding;
  let confidence: SiteConfidence;
  if (foundBy === 'allocation-stack') {
    const share = finding.creationSites[0]?.share ?? 1;
    confidence = share >= kExactShare && !lineIsGuess ? 'exact' : 'likely';
  } else if (foundBy === 'sampled-stack') {
    confidence = joinName === undefined || (isGenericJoin(joinName) && literalJoins === 'weak') ? 'weak' : 'likely';
  } else {
    confidence = 'likely';
  }
  if (confidence === 'weak') return { ...finding, creationSite: null };
  const annotated: CreationSite = { ...site, foundBy, confidence };
  return { ...finding, creationSite: annotated };
}

/** Literal classes: every handler creates some (`res.json({ ok })`), so a sampled join on them proves little. */
function isGenericJoin(joinName: string): boolean {
  return joinName === 'Object' || joinName === 'Array';
}
