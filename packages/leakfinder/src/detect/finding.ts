/** What kind of growth a finding names; `per-request-growth` is the general one, the others refine it. */
export type FindingKind =
  | 'per-request-growth'
  | 'session-per-request'
  | 'listener-growth'
  | 'handle-growth'
  | 'external-growth';

/** A source position as the runtime reports it; lines and columns are 1-based. */
export interface SourceSite {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
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
  readonly creationSite: SourceSite | null;
  /** Top first. */
  readonly creationStack: readonly SourceSite[];
  readonly creationSites: readonly { readonly site: SourceSite; readonly share: number }[];
  /** Kind-specific proof, e.g. the count at each checkpoint. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** One sentence: what to change. */
  readonly advice: string;
}
