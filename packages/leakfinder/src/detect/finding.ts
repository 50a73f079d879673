/** What kind of growth a finding names; `per-request-growth` is the general one, the others refine it. */
export type FindingKind =
  | 'per-request-growth'
  | 'session-per-request'
  | 'listener-growth'
  | 'handle-growth'
  | 'external-growth'
  /** Promises that never settle are what grows (#16). */
  | 'promise-growth';

/** A source position as the runtime reports it; lines and columns are 1-based. */
export interface SourceSite {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * How a creation site was found (issue #12): `allocation-stack` is V8's exact stack of the objects themselves
 * (tracking); `sampled-stack` a sampling-profiler stack joined to the group through the source;
 * `name-in-source` a line that creates the class by name, found without a stack; `static-search` a line found
 * by searching the server's source (the session middleware install).
 */
export type SiteEvidence = 'allocation-stack' | 'sampled-stack' | 'name-in-source' | 'static-search';

/** `exact`: the objects' own stacks agree; `likely`: good evidence, not proof; `weak`: a hint, never shown as the line. */
export type SiteConfidence = 'exact' | 'likely' | 'weak';

/** A finding's creation site: a source position plus how it was found and how sure that is. */
export interface CreationSite extends SourceSite {
  readonly foundBy?: SiteEvidence;
  readonly confidence?: SiteConfidence;
}

/** Who keeps a group alive, in user terms ("Map `cache` in module server.js"). */
export interface FindingHolder {
  readonly description: string;
  readonly file: string | null;
  readonly line: number | null;
}

/** One thing that grows per request, with the contract's fields (cli-contract.md, `findings[]`). */
export interface Finding {
  readonly kind: FindingKind;
  readonly className: string;
  /** The group's readable signature: class + retainer signature, e.g. "Order via Map `orders`". */
  readonly group: string;
  /** Least-squares slope of the live count against measured requests. */
  readonly countPerRequest: number;
  /** Slope of the group's retained bytes against measured requests. */
  readonly bytesPerRequest: number;
  /** r² of the count fit. */
  readonly fitR2: number;
  /** Root first; data keys shown as `<key>` unless values were asked for. */
  readonly retainerPath: readonly string[];
  readonly holder: FindingHolder | null;
  /** Carries `foundBy` and `confidence`; null rather than a weak guess. */
  readonly creationSite: CreationSite | null;
  /** Top first. */
  readonly creationStack: readonly SourceSite[];
  readonly creationSites: readonly { readonly site: SourceSite; readonly share: number }[];
  /** Kind-specific proof, e.g. the count at each checkpoint. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** One sentence: what to change. */
  readonly advice: string;
}

/** A group folded into a finding because it grows inside the same holder (its parts, or the same class). */
export interface FoldedGroup {
  readonly group: string;
  readonly countPerRequest: number;
  readonly bytesPerRequest: number;
}

const normalizeStep = (step: string): string => step.replace(/`\[\d+\]`/g, '`[]`');

/**
 * One finding per leak rather than one per class involved: groups with the same holder form one finding
 * (the one with the shortest retainer path, i.e. the outermost object); groups of its class add their
 * slopes (a linked list splits one class over `_idleNext`/`_idlePrev`), the others are listed in
 * `evidence.alsoGrowing`. A group whose path runs through another finding's objects (the `(number)` in a
 * leaked `{ at: Date.now() }`) is folded into that finding too. Order is kept.
 */
export function foldFindings(findings: readonly Finding[]): Finding[] {
  // The finding to keep is the container: a named class before V8's internal ones (closures, contexts,
  // strings, numbers), then the shortest path. Path length alone is not enough: in a linked list (Node's
  // timer lists) it depends on where the sampled object sits.
  const rank = (f: Finding): number => (isInternalClass(f.className) ? 1 : 0);
  const byDepth = [...findings].sort(
    (a, b) => rank(a) - rank(b) || a.retainerPath.length - b.retainerPath.length || b.bytesPerRequest - a.bytesPerRequest,
  );
  const primaries: { finding: Finding; folded: FoldedGroup[]; extraCount: number }[] = [];
  for (const f of byDepth) {
    const host = primaries.find((p) => sameHolder(p.finding, f) || isNestedIn(f, p.finding));
    if (!host) {
      primaries.push({ finding: f, folded: [], extraCount: 0 });
      continue;
    }
    host.folded.push({ group: f.group, countPerRequest: f.countPerRequest, bytesPerRequest: f.bytesPerRequest });
    if (f.className === host.finding.className) host.extraCount += f.countPerRequest;
  }
  const order = new Map(findings.map((f, i) => [f, i]));
  return primaries
    .sort((a, b) => order.get(a.finding)! - order.get(b.finding)!)
    .map(({ finding, folded, extraCount }) => {
      if (folded.length === 0) return finding;
      const sameClassBytes = folded.filter((g) => g.group.startsWith(`${finding.className} `)).reduce((s, g) => s + g.bytesPerRequest, 0);
      return {
        ...finding,
        countPerRequest: finding.countPerRequest + extraCount,
        bytesPerRequest: finding.bytesPerRequest + sameClassBytes,
        evidence: { ...finding.evidence, alsoGrowing: folded },
      };
    });
}

/** `(closure)`, `(string)`, `system / Context`, …: V8's own node names rather than a user's class. */
function isInternalClass(className: string): boolean {
  return className.startsWith('(') || className.startsWith('system /');
}

function sameHolder(a: Finding, b: Finding): boolean {
  return a.holder !== null && b.holder !== null && a.holder.description === b.holder.description && a.holder.file === b.holder.file;
}

/** `inner`'s path goes through `outer`'s holder and then into an object of `outer`'s class. */
function isNestedIn(inner: Finding, outer: Finding): boolean {
  const outerPath = outer.retainerPath.map(normalizeStep);
  const innerPath = inner.retainerPath.map(normalizeStep);
  if (outerPath.length < 2 || innerPath.length <= outerPath.length) return false;
  for (let i = 0; i < outerPath.length - 1; i++) if (outerPath[i] !== innerPath[i]) return false;
  return innerPath[outerPath.length - 1] === outerPath[outerPath.length - 1];
}
