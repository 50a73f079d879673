/**
 * Bytes of a `.heapsnapshot` → typed-array columns, one chunk at a time. Digits are scanned straight into the
 * node and edge columns; `JSON.parse` runs only on the small header and on each string of `strings` that holds
 * an escape. The file is never held as one string, so files far above V8's ~512 M-character string limit
 * work. V8 field offsets never leave this file: edges point at NodeIds.
 */
import { LeakfinderError } from '../errors.js';
import { resolveLayout, type SnapshotLayout, type V8SnapshotHeader } from './format.js';
import type { HeapGraph, NodeLocations, SnapshotTraces } from './graph.js';
import { sharedColumn } from './shared-column.js';

// Top-level states: `{ "key" : value , … }`.
const TopStart = 0;
const TopKey = 1; // expect `"` (a key) or `}`
const TopInKey = 2;
const TopColon = 3;
const TopValue = 4; // inside a section's value; `section` says which
const TopAfterValue = 5; // expect `,` or `}`
const TopDone = 6;

// Sections (values of top-level keys).
const SecHeader = 0;
const SecNodes = 1;
const SecEdges = 2;
const SecStrings = 3;
const SecNumbers = 4; // locations, trace_function_infos, samples: a flat list of numbers
const SecCollect = 5; // trace_tree: nested arrays, kept as bytes and JSON.parsed at the end of the section
const SecSkip = 6; // a key this version does not know
const SecEdgesElsewhere = 7; // `edges` parsed by another thread (see edges-thread.ts): only its end is found here

const Quote = 0x22;
const Backslash = 0x5c;
const Comma = 0x2c;
const OpenBracket = 0x5b;
const CloseBracket = 0x5d;
const OpenBrace = 0x7b;
const CloseBrace = 0x7d;
const Colon = 0x3a;
const Minus = 0x2d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Largest header we accept; V8's is about 1 KB. Keeps a huge non-snapshot JSON file from being buffered. */
const maxHeaderBytes = 16 * 1024 * 1024;

/**
 * Rows start this far before a chunk's end at the latest to take the fast path: a row of V8's node or edge
 * fields (a handful of numbers below 2^53) is far shorter, so the scan cannot run off the chunk.
 */
const fastRowMargin = 512;

/**
 * Scans one row of `count` unsigned numbers, each preceded by separators (commas, whitespace), into `row`.
 * Returns the position of the byte after the row's last digit, or -1 when a row does not look like that
 * (the caller then takes the careful path). Bytes past the view's end read as undefined and stop the scan.
 */
function scanRow(bytes: Uint8Array, pos: number, row: Float64Array, count: number): number {
  for (let f = 0; f < count; f++) {
    let c = bytes[pos]!;
    while (c === Comma || c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = bytes[++pos]!;
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    let v = c - 0x30;
    c = bytes[++pos]!;
    while (c >= 0x30 && c <= 0x39) {
      v = v * 10 + (c - 0x30);
      c = bytes[++pos]!;
    }
    row[f] = v;
  }
  return pos;
}

/**
 * The `edges` section parsed by another tokenizer (on another thread) into these columns, under the
 * assumptions listed here; this tokenizer skips the section only when its own parse agrees with them.
 */
export interface EdgeClaim {
  /** Byte offset of the `[` that opens `edges`. */
  readonly listOffset: number;
  /** Byte offset of the first `]` after it (the other parse checks that it closes the section); -1 if unknown. */
  readonly closeOffset: number;
  /** The node count the other parse checks `to_node` against (the header's `node_count`). */
  readonly nodeCount: number;
  /** The row count it expects (the header's `edge_count`); also the columns' length. */
  readonly edgeCount: number;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTarget: Uint32Array;
}

/** A growable list of numbers (locations, trace function infos). */
class NumberList {
  data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  grow(): void {
    const grown = new Float64Array(this.data.length * 2);
    grown.set(this.data);
    this.data = grown;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
  /** The values without a copy (the list's spare capacity stays allocated while the view lives). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Push parser for one snapshot file. Feed every chunk with `push`, then call `finish` for the graph.
 * Throws LeakfinderError (LF_SNAPSHOT_MALFORMED / LF_SNAPSHOT_UNSUPPORTED) with the byte offset.
 */
export class SnapshotTokenizer {
  private readonly file: string;
  /** The file's size (for messages and progress). */
  readonly totalBytes: number;
  private base = 0; // absolute offset of the current chunk's first byte
  private top = TopStart;
  private section = SecSkip;
  private keyBytes: number[] = [];
  private key = '';
  private firstKey = true;
  private readonly seen = new Set<string>();

  // Balanced-value scanner state (header, trace tree, unknown keys).
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;

  // Number-list state, shared by nodes, edges and plain lists.
  private sawOpen = false;
  private value = 0;
  private negative = false;
  private inNumber = false;
  private field = 0;
  private numbers: NumberList | null = null;

  private layout: SnapshotLayout | null = null;
  private header: V8SnapshotHeader | null = null;

  // Node columns (grown if the header's node_count is wrong).
  private nodeCapacity = 0;
  private nodeCount = 0;
  private nodesDone = false;
  private nodeType = new Uint8Array(0);
  private nodeName = new Uint32Array(0);
  private nodeObjectId = new Uint32Array(0);
  private nodeSelfBytes = new Float64Array(0);
  private nodeTraceNodeId: Uint32Array | null = null;
  private firstEdge = new Uint32Array(1);
  private edgeTotal = 0;
  private maxNodeName = 0;

  // Edge columns, sized from the sum of the nodes' edge counts.
  private edgeCount = 0;
  private edgesDone = false;
  private edgeType: Uint8Array = new Uint8Array(0);
  private edgeName: Uint32Array = new Uint32Array(0);
  private edgeTarget: Uint32Array = new Uint32Array(0);

  private strings: string[] = [];
  private stringStart = -1; // start of the current string in this chunk, -1 outside a string
  private stringHasEscape = false;
  private stringsDone = false;

  private locations: Float64Array | null = null;
  private traceFunctionInfos: Float64Array | null = null;
  private traceTree: unknown = null;

  // Parallel `edges` (see edges-thread.ts). `paused` stops `push` early: before `edges` while the caller
  // learns whether another thread parses it, and after `edges` in a tokenizer that parses only that section.
  private paused = false;
  private stopAfterEdges = false;
  private edgeClaim: EdgeClaim | null = null;
  private claimAccepted: EdgeClaim | null = null;
  private claimRefused = false;
  private listOffsetOfNodes = -1;
  private edgesEndOffset = -1;
  private jumpTo = -1;
  private pausedAtNodes = false;
  /** When set, `push` stops right after the `[` of `nodes` (the header is known then) until `resume`. */
  pauseAtNodes = false;
  /** When set, `push` stops right after the `edges` key until `offerEdges` is called. */
  pauseBeforeEdges = false;

  constructor(file: string, totalBytes: number) {
    this.file = file;
    this.totalBytes = totalBytes;
  }

  private row = new Float64Array(8);

  /** A scratch row of at least `count` numbers for the fast row scan. */
  private rowScratch(count: number): Float64Array {
    if (this.row.length < count) this.row = new Float64Array(count);
    return this.row;
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base;
  }

  /**
   * A tokenizer that parses only the `edges` section, from the byte after its `[` (claim.listOffset + 1),
   * into the claim's columns; `push` stops at the section's `]`. Errors are the ones a whole-file parse
   * gives at the same bytes, with the same offsets.
   */
  static forEdges(file: string, totalBytes: number, layout: SnapshotLayout, claim: EdgeClaim): SnapshotTokenizer {
    const tokenizer = new SnapshotTokenizer(file, totalBytes);
    tokenizer.layout = layout;
    tokenizer.key = 'edges';
    tokenizer.top = TopValue;
    tokenizer.section = SecEdges;
    tokenizer.sawOpen = true;
    tokenizer.nodeCount = claim.nodeCount;
    tokenizer.nodesDone = true;
    tokenizer.edgeTotal = claim.edgeCount;
    tokenizer.edgeType = claim.edgeType;
    tokenizer.edgeName = claim.edgeName;
    tokenizer.edgeTarget = claim.edgeTarget;
    tokenizer.base = claim.listOffset + 1;
    tokenizer.stopAfterEdges = true;
    return tokenizer;
  }

  /** The header's layout once the `snapshot` section is parsed, else null. */
  get snapshotLayout(): SnapshotLayout | null {
    return this.layout;
  }

  /** Byte offset of the `[` that opens `nodes`, or -1 before it is seen. */
  get nodesListOffset(): number {
    return this.listOffsetOfNodes;
  }

  /** Where `push` stopped early and waits: after the `[` of `nodes` (`resume`), before `edges` (`offerEdges`). */
  get waitingAt(): 'nodes' | 'edges' | null {
    if (!this.paused || this.stopAfterEdges) return null;
    return this.pausedAtNodes ? 'nodes' : 'edges';
  }

  /** Goes on after a pause at `nodes`. */
  resume(): void {
    this.paused = false;
    this.pausedAtNodes = false;
  }

  /** True once `edges` was parsed to its `]`; `edgeRows` is then its row count. */
  get edgesFinished(): boolean {
    return this.edgesDone;
  }

  get edgeRows(): number {
    return this.edgeCount;
  }

  /** Offset after the `]` that closes `edges`, or -1 before it. */
  get edgesEnd(): number {
    return this.edgesEndOffset;
  }

  /** True when `edges` was left to the claim (its columns are the graph's; the caller must check them). */
  get edgesClaimed(): boolean {
    return this.claimAccepted !== null;
  }

  /** True when `edges` reached its `[` without taking a claim (or with none offered): it is parsed here. */
  get edgesClaimRefused(): boolean {
    return this.claimRefused;
  }

  /**
   * When the caller may stop reading here and go on at this offset (the `]` of a claimed `edges`), else -1:
   * the bytes between are the other parse's. Call `skipTo` with it, then push from there.
   */
  get resumeAt(): number {
    return this.jumpTo;
  }

  /** Continues at `resumeAt` without the bytes before it. */
  skipTo(offset: number): void {
    if (offset !== this.jumpTo || offset < this.base) throw new Error(`skipTo(${offset}) but the tokenizer resumes at ${this.jumpTo}`);
    this.base = offset;
    this.jumpTo = -1;
  }

  /** The claim `edges` was left to, or null. */
  get acceptedClaim(): EdgeClaim | null {
    return this.claimAccepted;
  }

  /**
   * Resumes after a pause before `edges`: with a claim, `edges` is skipped when its `[` sits at the claimed
   * offset and the nodes just read match the claim's counts; otherwise (or with null) it is parsed here.
   */
  offerEdges(claim: EdgeClaim | null): void {
    this.edgeClaim = claim;
    this.paused = false;
  }

  private malformed(offset: number, what: string): LeakfinderError {
    return new LeakfinderError(
      'LF_SNAPSHOT_MALFORMED',
      `${this.file}: not a valid V8 heap snapshot: ${what} at byte ${offset}; take the snapshot again.`,
    );
  }

  /**
   * Parses one chunk; returns how many bytes were consumed: all of them (state carries over to the next
   * chunk), unless a pause (see `pauseBeforeEdges`, `forEdges`) stopped it early.
   */
  push(chunk: Buffer): number {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && !this.paused) {
      switch (this.top) {
        case TopStart: {
          const c = chunk[pos]!;
          if (isSpace(c)) {
            pos++;
          } else if (c === OpenBrace) {
            this.top = TopKey;
            pos++;
          } else if (this.base + pos === 0 && c === 0xef) {
            pos++; // tolerate a UTF-8 byte-order mark
          } else if (this.base + pos <= 2 && (c === 0xbb || c === 0xbf)) {
            pos++;
          } else {
            throw new LeakfinderError(
              'LF_SNAPSHOT_MALFORMED',
              `${this.file}: not a V8 heap snapshot (it does not start with a JSON object: byte ${this.base + pos} is ${describeByte(c)}); pass a .heapsnapshot file.`,
            );
          }
          break;
        }
        case TopKey: {
          const c = chunk[pos]!;
          if (isSpace(c)) pos++;
          else if (c === Quote) {
            this.top = TopInKey;
            this.keyBytes = [];
            pos++;
          } else if (c === CloseBrace && this.firstKey) {
            throw this.notASnapshot(this.base + pos, 'an empty JSON object');
          } else throw this.malformed(this.base + pos, `expected a key, found ${describeByte(c)}`);
          break;
        }
        case TopInKey: {
          const c = chunk[pos++]!;
          if (c === Quote) {
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            this.top = TopColon;
          } else if (this.keyBytes.length > 256) {
            throw this.malformed(this.base + pos, 'a top-level key longer than 256 bytes');
          } else this.keyBytes.push(c);
          break;
        }
        case TopColon: {
          const c = chunk[pos]!;
          if (isSpace(c)) pos++;
          else if (c === Colon) {
            pos++;
            this.beginSection();
          } else throw this.malformed(this.base + pos, `expected \`:\` after key \`${this.key}\``);
          break;
        }
        case TopValue:
          pos = this.feedSection(chunk, pos, end);
          break;
        case TopAfterValue: {
          const c = chunk[pos]!;
          if (isSpace(c)) pos++;
          else if (c === Comma) {
            this.top = TopKey;
            pos++;
          } else if (c === CloseBrace) {
            this.top = TopDone;
            pos++;
          } else throw this.malformed(this.base + pos, `expected \`,\` or \`}\` after section \`${this.key}\``);
          break;
        }
        default: {
          const c = chunk[pos]!;
          if (!isSpace(c) && c !== 0) throw this.malformed(this.base + pos, 'data after the end of the snapshot');
          pos++;
        }
      }
    }
    const used = this.paused ? pos : end;
    this.base += used;
    return used;
  }

  private notASnapshot(offset: number, what: string): LeakfinderError {
    return new LeakfinderError(
      'LF_SNAPSHOT_MALFORMED',
      `${this.file}: JSON but not a V8 heap snapshot (${what} at byte ${offset}; a heap snapshot starts with \`{"snapshot":{"meta":…\`); pass a .heapsnapshot file.`,
    );
  }

  private beginSection(): void {
    const key = this.key;
    if (this.firstKey && key !== 'snapshot') {
      throw this.notASnapshot(this.base, `the first key is \`${key.slice(0, 40)}\`, not \`snapshot\``);
    }
    this.firstKey = false;
    if (this.seen.has(key)) throw this.malformed(this.base, `section \`${key}\` appears twice`);
    this.seen.add(key);
    this.top = TopValue;
    this.resetScanner();
    switch (key) {
      case 'snapshot':
        this.section = SecHeader;
        break;
      case 'nodes':
        this.section = SecNodes;
        break;
      case 'edges':
        if (!this.nodesDone) throw this.malformed(this.base, '`edges` before `nodes`');
        this.section = SecEdges;
        if (this.pauseBeforeEdges) {
          this.pauseBeforeEdges = false;
          this.paused = true;
        }
        break;
      case 'strings':
        this.section = SecStrings;
        break;
      case 'locations':
      case 'trace_function_infos':
      case 'samples':
        this.section = SecNumbers;
        this.numbers = new NumberList();
        break;
      case 'trace_tree':
        this.section = SecCollect;
        break;
      default:
        this.section = SecSkip;
    }
    if (this.section !== SecHeader && this.section !== SecSkip && this.layout === null) {
      throw this.notASnapshot(this.base, `section \`${key}\` before the \`snapshot\` header`);
    }
  }

  private resetScanner(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.started = false;
    this.pieces = [];
    this.pieceBytes = 0;
    this.sawOpen = false;
    this.value = 0;
    this.negative = false;
    this.inNumber = false;
    this.field = 0;
  }

  private endSection(): void {
    this.top = TopAfterValue;
  }

  private feedSection(chunk: Buffer, pos: number, end: number): number {
    switch (this.section) {
      case SecNodes:
        return this.feedNodes(chunk, pos, end);
      case SecEdges:
        return this.feedEdges(chunk, pos, end);
      case SecEdgesElsewhere:
        return this.skipEdges(chunk, pos, end);
      case SecStrings:
        return this.feedStrings(chunk, pos, end);
      case SecNumbers:
        return this.feedNumbers(chunk, pos, end);
      default:
        return this.feedBalanced(chunk, pos, end);
    }
  }

  /** Skips whitespace up to the `[` that opens a list; returns the position after it, or `end`. */
  private openList(chunk: Buffer, pos: number, end: number): number {
    while (pos < end) {
      const c = chunk[pos]!;
      if (c === OpenBracket) {
        this.sawOpen = true;
        return pos + 1;
      }
      if (!isSpace(c)) throw this.malformed(this.base + pos, `expected \`[\` to open \`${this.key}\``);
      pos++;
    }
    return end;
  }

  private allocateNodes(capacity: number): void {
    const grow = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, make: (n: number) => T, n: number): T => {
      const next = make(n);
      next.set(old.subarray(0, Math.min(old.length, n)) as never);
      return next;
    };
    // Shared: analyzeGraph's second thread reads these (see shared-column.ts).
    this.nodeType = grow(this.nodeType, (n) => sharedColumn(Uint8Array, n), capacity);
    this.nodeName = grow(this.nodeName, (n) => sharedColumn(Uint32Array, n), capacity);
    this.nodeObjectId = grow(this.nodeObjectId, (n) => new Uint32Array(n), capacity);
    this.nodeSelfBytes = grow(this.nodeSelfBytes, (n) => sharedColumn(Float64Array, n), capacity);
    if (this.layout!.nodeTraceNodeIdOffset >= 0) {
      this.nodeTraceNodeId = grow(this.nodeTraceNodeId ?? new Uint32Array(0), (n) => new Uint32Array(n), capacity);
    }
    this.firstEdge = grow(this.firstEdge, (n) => sharedColumn(Uint32Array, n), capacity + 1);
    this.nodeCapacity = capacity;
  }

  private feedNodes(chunk: Buffer, pos: number, end: number): number {
    if (!this.sawOpen) {
      pos = this.openList(chunk, pos, end);
      if (!this.sawOpen) return pos;
      this.listOffsetOfNodes = this.base + pos - 1;
      if (this.nodeCapacity === 0) this.allocateNodes(Math.max(1024, this.layout!.nodeCountHint));
      if (this.pauseAtNodes) {
        this.pauseAtNodes = false;
        this.paused = true;
        this.pausedAtNodes = true;
        return pos;
      }
    }
    // A plain Uint8Array view keeps the element loads below monomorphic (Buffer is a subclass).
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const layout = this.layout!;
    const fieldCount = layout.nodeFieldCount;
    const typeOffset = layout.nodeTypeOffset;
    const nameOffset = layout.nodeNameOffset;
    const idOffset = layout.nodeIdOffset;
    const selfOffset = layout.nodeSelfSizeOffset;
    const edgeCountOffset = layout.nodeEdgeCountOffset;
    const traceOffset = layout.nodeTraceNodeIdOffset;
    const typeMap = layout.nodeTypeMap;
    // Locals: this loop runs once per byte of the second-largest section; columns are re-read only after
    // a capacity change.
    let nodeType = this.nodeType;
    let nodeName = this.nodeName;
    let nodeObjectId = this.nodeObjectId;
    let nodeSelf = this.nodeSelfBytes;
    let nodeTrace = this.nodeTraceNodeId;
    let firstEdge = this.firstEdge;
    let capacity = this.nodeCapacity;
    let node = this.nodeCount;
    let field = this.field;
    let edgeTotal = this.edgeTotal;
    let maxName = this.maxNodeName;
    let value = this.value;
    let inNumber = this.inNumber;
    const row = this.rowScratch(fieldCount);
    const fastEnd = end - fastRowMargin;
    const standardNodeRow =
      fieldCount === 7 && typeOffset === 0 && nameOffset === 1 && idOffset === 2 && selfOffset === 3 && edgeCountOffset === 4 && traceOffset === 5;
    let slowRow = false;
    while (pos < end) {
      if (field === 0 && !inNumber && !slowRow && pos < fastEnd) {
        // Whole rows at a time while a row cannot reach the chunk's end: no per-byte end check and no
        // per-number field dispatch. Anything unusual (a bad byte, a huge number, a full column) goes back
        // to the careful loop below for one row, which reports errors with their exact offset.
        if (standardNodeRow) {
          // V8's own layout (type, name, id, self_size, edge_count, trace_node_id, detachedness): seven
          // numbers in straight-line code. A row cut short leaves `pos` mid-row: back to its start.
          let rowStart = pos;
          while (pos < fastEnd && node !== capacity) {
            rowStart = pos;
            let c = bytes[pos]!;
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let type = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) type = type * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let name = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) name = name * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let id = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) id = id * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let self = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) self = self * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let edges = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) edges = edges * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let trace = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) trace = trace * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let detached = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) detached = detached * 10 + (c - 0x30);
            if (pos >= end) break;
            nodeType[node] = type < 256 ? typeMap[type]! : 15;
            nodeName[node] = name;
            if (name > maxName) maxName = name;
            nodeObjectId[node] = id;
            nodeSelf[node] = self;
            edgeTotal += edges;
            firstEdge[node + 1] = edgeTotal;
            // Zeros are not written: without allocation tracking every id is 0, and a column never
            // written stays out of resident memory (fresh typed arrays are zero pages).
            if (trace !== 0) nodeTrace![node] = trace;
            node++;
            rowStart = pos;
            void detached;
          }
          pos = rowStart;
          slowRow = true;
          continue;
        }
        while (pos < fastEnd) {
          const rowStart = pos;
          const last = scanRow(bytes, pos, row, fieldCount);
          if (last < 0 || last >= end || node === capacity) {
            pos = rowStart;
            slowRow = true;
            break;
          }
          pos = last;
          const type = row[typeOffset]!;
          nodeType[node] = type < 256 ? typeMap[type]! : 15;
          const name = row[nameOffset]!;
          nodeName[node] = name;
          if (name > maxName) maxName = name;
          nodeObjectId[node] = row[idOffset]!;
          nodeSelf[node] = row[selfOffset]!;
          edgeTotal += row[edgeCountOffset]!;
          firstEdge[node + 1] = edgeTotal;
          if (traceOffset >= 0 && row[traceOffset] !== 0) nodeTrace![node] = row[traceOffset]!;
          node++;
        }
        continue;
      }
      let c = bytes[pos]!;
      if (c >= 0x30 && c <= 0x39) {
        // The whole number in one tight loop; a number cut by the chunk's end carries over.
        let v = inNumber ? value : 0;
        do {
          v = v * 10 + (c - 0x30);
          if (++pos === end) break;
          c = bytes[pos]!;
        } while (c >= 0x30 && c <= 0x39);
        if (pos === end) {
          value = v;
          inNumber = true;
          break;
        }
        inNumber = false;
        if (node === capacity) {
          this.nodeCount = node;
          this.allocateNodes(capacity * 2);
          ({ nodeType, nodeName, nodeObjectId, nodeSelfBytes: nodeSelf, nodeTraceNodeId: nodeTrace, firstEdge } = this);
          capacity = this.nodeCapacity;
        }
        if (field === typeOffset) nodeType[node] = v < 256 ? typeMap[v]! : 15;
        else if (field === nameOffset) {
          nodeName[node] = v;
          if (v > maxName) maxName = v;
        } else if (field === idOffset) nodeObjectId[node] = v;
        else if (field === selfOffset) nodeSelf[node] = v;
        else if (field === edgeCountOffset) {
          edgeTotal += v;
          firstEdge[node + 1] = edgeTotal;
        } else if (field === traceOffset) {
          if (v !== 0) nodeTrace![node] = v;
        }
        if (++field === fieldCount) {
          field = 0;
          node++;
          slowRow = false;
        }
        continue;
      }
      if (inNumber) {
        // A number that ended exactly at the previous chunk's end.
        inNumber = false;
        this.nodeCount = node;
        this.field = field;
        this.edgeTotal = edgeTotal;
        this.maxNodeName = maxName;
        this.storeCarriedNode(value);
        ({ nodeType, nodeName, nodeObjectId, nodeSelfBytes: nodeSelf, nodeTraceNodeId: nodeTrace, firstEdge } = this);
        ({ nodeCapacity: capacity, nodeCount: node, field, edgeTotal, maxNodeName: maxName } = this);
        continue;
      }
      pos++;
      if (c === Comma || isSpace(c)) continue;
      if (c === CloseBracket) {
        if (field !== 0) throw this.malformed(this.base + pos - 1, `\`nodes\` ends inside a row (${field} of ${fieldCount} fields)`);
        this.nodesDone = true;
        this.endSection();
        break;
      }
      throw this.malformed(this.base + pos - 1, `unexpected ${describeByte(c)} in \`nodes\``);
    }
    this.nodeCount = node;
    this.field = field;
    this.value = value;
    this.inNumber = inNumber;
    this.edgeTotal = edgeTotal;
    this.maxNodeName = maxName;
    return pos;
  }

  /** Stores one node field whose digits were split across two chunks (rare: once per chunk at most). */
  private storeCarriedNode(v: number): void {
    const layout = this.layout!;
    if (this.nodeCount === this.nodeCapacity) this.allocateNodes(this.nodeCapacity * 2);
    const node = this.nodeCount;
    const field = this.field;
    if (field === layout.nodeTypeOffset) this.nodeType[node] = v < 256 ? layout.nodeTypeMap[v]! : 15;
    else if (field === layout.nodeNameOffset) {
      this.nodeName[node] = v;
      if (v > this.maxNodeName) this.maxNodeName = v;
    } else if (field === layout.nodeIdOffset) this.nodeObjectId[node] = v;
    else if (field === layout.nodeSelfSizeOffset) this.nodeSelfBytes[node] = v;
    else if (field === layout.nodeEdgeCountOffset) {
      this.edgeTotal += v;
      this.firstEdge[node + 1] = this.edgeTotal;
    } else if (field === layout.nodeTraceNodeIdOffset) {
      if (v !== 0) this.nodeTraceNodeId![node] = v;
    }
    if (++this.field === layout.nodeFieldCount) {
      this.field = 0;
      this.nodeCount++;
    }
  }

  private feedEdges(chunk: Buffer, pos: number, end: number): number {
    if (!this.sawOpen) {
      pos = this.openList(chunk, pos, end);
      if (!this.sawOpen) return pos;
      if (this.acceptClaim(this.base + pos - 1)) {
        this.section = SecEdgesElsewhere;
        return pos;
      }
      this.edgeType = sharedColumn(Uint8Array, this.edgeTotal);
      this.edgeName = sharedColumn(Uint32Array, this.edgeTotal);
      this.edgeTarget = sharedColumn(Uint32Array, this.edgeTotal);
    }
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const layout = this.layout!;
    const fieldCount = layout.edgeFieldCount;
    const typeOffset = layout.edgeTypeOffset;
    const nameOffset = layout.edgeNameOffset;
    const toOffset = layout.edgeToNodeOffset;
    const nodeFieldCount = layout.nodeFieldCount;
    const nodeRowsEnd = this.nodeCount * nodeFieldCount;
    const typeMap = layout.edgeTypeMap;
    const edgeType = this.edgeType;
    const edgeName = this.edgeName;
    const edgeTarget = this.edgeTarget;
    const capacity = this.edgeTotal;
    let edge = this.edgeCount;
    let field = this.field;
    let value = this.value;
    let inNumber = this.inNumber;
    const row = this.rowScratch(fieldCount);
    const fastEnd = end - fastRowMargin;
    const standardEdgeRow = fieldCount === 3 && typeOffset === 0 && nameOffset === 1 && toOffset === 2;
    let slowRow = false;
    while (pos < end) {
      if (field === 0 && !inNumber && !slowRow && pos < fastEnd) {
        // Whole rows at a time, as in feedNodes; the target is checked here and, when bad, reported by the
        // careful loop.
        if (standardEdgeRow) {
          // V8's own layout (type, name_or_index, to_node): three numbers in straight-line code.
          while (pos < fastEnd) {
            const rowStart = pos;
            let c = bytes[pos]!;
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) break;
            let type = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) type = type * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) {
              pos = rowStart;
              break;
            }
            let name = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) name = name * 10 + (c - 0x30);
            while (c === Comma || c === 0x0a) c = bytes[++pos]!;
            if (!(c >= 0x30 && c <= 0x39)) {
              pos = rowStart;
              break;
            }
            let to = c - 0x30;
            for (c = bytes[++pos]!; c >= 0x30 && c <= 0x39; c = bytes[++pos]!) to = to * 10 + (c - 0x30);
            const target = to / nodeFieldCount;
            if (pos >= end || edge === capacity || to >= nodeRowsEnd || target !== Math.floor(target)) {
              pos = rowStart;
              break;
            }
            edgeTarget[edge] = target;
            edgeType[edge] = type < 256 ? typeMap[type]! : 7;
            edgeName[edge] = name;
            edge++;
          }
          slowRow = true;
          continue;
        }
        while (pos < fastEnd) {
          const rowStart = pos;
          const last = scanRow(bytes, pos, row, fieldCount);
          const to = row[toOffset]!;
          const target = to / nodeFieldCount;
          if (last < 0 || last >= end || edge === capacity || to >= nodeRowsEnd || target !== Math.floor(target)) {
            pos = rowStart;
            slowRow = true;
            break;
          }
          pos = last;
          edgeTarget[edge] = target;
          const type = row[typeOffset]!;
          edgeType[edge] = type < 256 ? typeMap[type]! : 7;
          edgeName[edge] = row[nameOffset]!;
          edge++;
        }
        continue;
      }
      let c = bytes[pos]!;
      let v: number;
      if (c >= 0x30 && c <= 0x39) {
        v = inNumber ? value : 0;
        do {
          v = v * 10 + (c - 0x30);
          if (++pos === end) break;
          c = bytes[pos]!;
        } while (c >= 0x30 && c <= 0x39);
        if (pos === end) {
          value = v;
          inNumber = true;
          break;
        }
      } else if (inNumber) {
        v = value; // digits that ended exactly at the previous chunk's end
      } else {
        pos++;
        if (c === Comma || isSpace(c)) continue;
        if (c === CloseBracket) {
          if (field !== 0) throw this.malformed(this.base + pos - 1, '`edges` ends inside a row');
          if (edge !== capacity) {
            throw this.malformed(this.base + pos - 1, `\`edges\` has ${edge} rows but the nodes' edge counts add up to ${capacity}`);
          }
          this.edgesDone = true;
          this.edgesEndOffset = this.base + pos;
          this.endSection();
          if (this.stopAfterEdges) this.paused = true;
          break;
        }
        throw this.malformed(this.base + pos - 1, `unexpected ${describeByte(c)} in \`edges\``);
      }
      inNumber = false;
      if (edge === capacity) {
        throw this.malformed(this.base + pos, `\`edges\` has more rows than the nodes' edge counts add up to (${capacity})`);
      }
      if (field === toOffset) {
        // V8 writes the target's row offset in `nodes`; we keep its ordinal.
        const target = v / nodeFieldCount;
        if (v >= nodeRowsEnd || target !== Math.floor(target)) {
          throw this.malformed(this.base + pos, `edge ${edge} points at node offset ${v}, which is not a node`);
        }
        edgeTarget[edge] = target;
      } else if (field === typeOffset) edgeType[edge] = v < 256 ? typeMap[v]! : 7;
      else if (field === nameOffset) edgeName[edge] = v;
      if (++field === fieldCount) {
        field = 0;
        edge++;
        slowRow = false;
      }
    }
    this.edgeCount = edge;
    this.field = field;
    this.value = value;
    this.inNumber = inNumber;
    return pos;
  }

  /** Takes the offered claim when it matches what this parse saw; otherwise drops it. */
  private acceptClaim(listOffset: number): boolean {
    const claim = this.edgeClaim;
    this.edgeClaim = null;
    if (claim === null || claim.listOffset !== listOffset || claim.nodeCount !== this.nodeCount || claim.edgeCount !== this.edgeTotal) {
      this.claimRefused = true;
      return false;
    }
    this.edgeType = claim.edgeType;
    this.edgeName = claim.edgeName;
    this.edgeTarget = claim.edgeTarget;
    this.claimAccepted = claim;
    return true;
  }

  /**
   * `edges` while another thread parses it: numbers only, so the first `]` closes it (a stray byte before
   * it is that thread's error to report, at its offset). When that thread already found the `]` past this
   * chunk, the caller jumps there (`resumeAt`) instead of reading the section twice. The row count is the
   * claim's until checked.
   */
  private skipEdges(chunk: Buffer, pos: number, end: number): number {
    const claimedClose = this.claimAccepted!.closeOffset;
    if (claimedClose >= this.base + end) {
      this.jumpTo = claimedClose;
      return end;
    }
    const close = chunk.indexOf(CloseBracket, pos);
    if (close < 0 || close >= end) return end;
    this.edgesDone = true;
    this.edgeCount = this.edgeTotal;
    this.edgesEndOffset = this.base + close + 1;
    this.endSection();
    return close + 1;
  }

  private feedNumbers(chunk: Buffer, pos: number, end: number): number {
    if (!this.sawOpen) {
      pos = this.openList(chunk, pos, end);
      if (!this.sawOpen) return pos;
    }
    const list = this.numbers!;
    if (!this.inNumber && !this.negative) {
      // Plain unsigned numbers (all of `locations`) one call each, as in the node and edge rows; a minus
      // sign, the closing bracket or the chunk's end go to the byte loop below.
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      const row = this.rowScratch(1);
      const fastEnd = end - fastRowMargin;
      // The list's array and length in locals: millions of numbers in big snapshots.
      let data = list.data;
      let length = list.length;
      while (pos < fastEnd) {
        const last = scanRow(bytes, pos, row, 1);
        if (last < 0) break;
        if (length === data.length) {
          list.length = length;
          list.grow();
          data = list.data;
        }
        data[length++] = row[0]!;
        pos = last;
      }
      list.length = length;
    }
    for (; pos < end; pos++) {
      const c = chunk[pos]!;
      if (c >= 0x30 && c <= 0x39) {
        this.value = this.value * 10 + (c - 0x30);
        this.inNumber = true;
        continue;
      }
      if (c === Minus && !this.inNumber && !this.negative) {
        this.negative = true;
        continue;
      }
      if (this.inNumber) {
        list.push(this.negative ? -this.value : this.value);
        this.value = 0;
        this.inNumber = false;
        this.negative = false;
      } else if (this.negative) {
        throw this.malformed(this.base + pos, `a lone \`-\` in \`${this.key}\``);
      }
      if (c === Comma || isSpace(c)) continue;
      if (c === CloseBracket) {
        pos++;
        this.finishNumberSection();
        this.endSection();
        break;
      }
      throw this.malformed(this.base + pos, `unexpected ${describeByte(c)} in \`${this.key}\``);
    }
    return pos;
  }

  private finishNumberSection(): void {
    const list = this.numbers!;
    this.numbers = null;
    // `locations` is copied into columns by `finish` and then dropped: no need for an exact-size copy.
    if (this.key === 'locations') this.locations = list.view();
    else if (this.key === 'trace_function_infos') this.traceFunctionInfos = list.toArray();
    // `samples` (timeline samples of allocation tracking) are read and dropped: nothing uses them yet.
  }

  private feedStrings(chunk: Buffer, pos: number, end: number): number {
    if (!this.sawOpen) {
      pos = this.openList(chunk, pos, end);
      if (!this.sawOpen) return pos;
    }
    // Strings are short (about 19 bytes on average): a byte loop in JS finds the closing quote faster than
    // native `indexOf` calls, whose per-call cost (and a Buffer per `subarray`) dominated this section.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    while (pos < end) {
      if (this.inString) {
        const start = this.stringStart < 0 ? pos : this.stringStart;
        let escaped = this.escaped;
        let hasEscape = this.stringHasEscape;
        let i = pos;
        for (; i < end; i++) {
          const c = bytes[i]!;
          if (escaped) escaped = false;
          else if (c === Quote) break;
          else if (c === Backslash) {
            escaped = true;
            hasEscape = true;
          }
        }
        this.escaped = escaped;
        this.stringHasEscape = hasEscape;
        if (i === end) {
          this.savePiece(chunk, start, end);
          return end;
        }
        this.strings.push(this.decodeString(chunk, start, i));
        this.inString = false;
        this.stringStart = -1;
        pos = i + 1;
        continue;
      }
      const c = bytes[pos]!;
      if (c === Quote) {
        this.inString = true;
        this.stringHasEscape = false;
        this.escaped = false;
        this.stringStart = pos + 1;
        if (this.pieces.length !== 0) {
          this.pieces = [];
          this.pieceBytes = 0;
        }
        pos++;
      } else if (c === Comma || isSpace(c)) {
        pos++;
      } else if (c === CloseBracket) {
        this.stringsDone = true;
        this.endSection();
        return pos + 1;
      } else throw this.malformed(this.base + pos, `unexpected ${describeByte(c)} in \`strings\``);
    }
    // A string opened by the chunk's last byte: its (empty) start must not point into the reused buffer.
    if (this.inString && this.stringStart >= 0) this.savePiece(chunk, this.stringStart, end);
    return pos;
  }

  private savePiece(chunk: Buffer, start: number, end: number): void {
    // The chunk buffer is reused by the reader, so the unfinished string's bytes must be copied.
    this.pieces.push(Buffer.from(chunk.subarray(start, end)));
    this.pieceBytes += end - start;
    this.stringStart = -1;
  }

  private decodeString(chunk: Buffer, start: number, close: number): string {
    let bytes: Buffer;
    if (this.pieces.length === 0) {
      if (!this.stringHasEscape) return chunk.toString('utf8', start, close);
      bytes = chunk.subarray(start, close);
    } else {
      this.pieces.push(chunk.subarray(start, close));
      bytes = Buffer.concat(this.pieces);
      this.pieces = [];
      this.pieceBytes = 0;
      if (!this.stringHasEscape) return bytes.toString('utf8');
    }
    try {
      return JSON.parse(`"${bytes.toString('utf8')}"`) as string;
    } catch {
      throw this.malformed(this.base + close, `a string with an invalid escape (string #${this.strings.length})`);
    }
  }

  /** Scans one JSON value with nesting (header, trace tree, unknown keys), collecting its bytes if needed. */
  private feedBalanced(chunk: Buffer, pos: number, end: number): number {
    const collect = this.section !== SecSkip;
    const from = pos;
    let done = -1; // position after the value's last byte
    for (; pos < end; pos++) {
      const c = chunk[pos]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === Backslash) this.escaped = true;
        else if (c === Quote) {
          this.inString = false;
          if (this.depth === 0) {
            done = pos + 1;
            break;
          }
        }
        continue;
      }
      if (c === Quote) {
        this.inString = true;
        this.started = true;
      } else if (c === OpenBrace || c === OpenBracket) {
        this.depth++;
        this.started = true;
      } else if (c === CloseBrace || c === CloseBracket) {
        if (this.depth === 0) {
          done = pos; // a primitive value ended by the enclosing object's `}`
          break;
        }
        if (--this.depth === 0) {
          done = pos + 1;
          break;
        }
      } else if (c === Comma && this.depth === 0) {
        if (!this.started) throw this.malformed(this.base + pos, `a missing value for \`${this.key}\``);
        done = pos;
        break;
      } else if (!isSpace(c)) this.started = true;
    }
    const stop = done < 0 ? end : done;
    if (collect) {
      this.pieces.push(Buffer.from(chunk.subarray(from, stop)));
      this.pieceBytes += stop - from;
      if (this.section === SecHeader && this.pieceBytes > maxHeaderBytes) {
        throw this.notASnapshot(this.base + pos, 'a `snapshot` section larger than 16 MiB');
      }
    }
    if (done >= 0) {
      if (collect) this.finishCollected(this.base + done);
      this.endSection();
    }
    return stop;
  }

  private finishCollected(offset: number): void {
    const text = Buffer.concat(this.pieces).toString('utf8');
    this.pieces = [];
    this.pieceBytes = 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.malformed(offset, `invalid JSON in \`${this.key}\``);
    }
    if (this.section === SecHeader) {
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw this.notASnapshot(offset, '`snapshot` is not an object');
      }
      this.header = parsed as V8SnapshotHeader;
      this.layout = resolveLayout(this.header, this.file);
    } else {
      this.traceTree = parsed;
    }
  }

  /** Ends the parse: checks the file was complete and returns the graph. */
  finish(): HeapGraph {
    if (this.top !== TopDone) {
      if (this.base === 0) {
        throw new LeakfinderError('LF_SNAPSHOT_MALFORMED', `${this.file}: the file is empty (0 bytes); take the snapshot again.`);
      }
      const where = this.top === TopValue ? ` inside the \`${this.key}\` section` : '';
      throw new LeakfinderError(
        'LF_SNAPSHOT_MALFORMED',
        `${this.file}: heap snapshot cut short at byte ${this.base} of ${this.totalBytes}${where} (was the process killed while writing it?); take the snapshot again.`,
      );
    }
    const layout = this.layout;
    if (layout === null) throw this.notASnapshot(this.base, 'no `snapshot` header');
    for (const section of ['nodes', 'edges', 'strings'] as const) {
      if (!this.seen.has(section)) throw this.notASnapshot(this.base, `no \`${section}\` section`);
    }
    if (!this.nodesDone || !this.edgesDone || !this.stringsDone) throw this.malformed(this.base, 'an unfinished section');
    const nodeCount = this.nodeCount;
    if (nodeCount === 0) throw this.notASnapshot(this.base, 'no nodes');
    if (this.maxNodeName >= this.strings.length) {
      throw this.malformed(this.base, `a node name points at string ${this.maxNodeName} but there are ${this.strings.length} strings`);
    }
    const root = layout.rootNodeId;
    if (!Number.isInteger(root) || root >= nodeCount) throw this.malformed(this.base, `root_index points at no node`);
    return {
      nodeCount,
      edgeCount: this.edgeCount,
      root,
      nodeType: this.nodeType.subarray(0, nodeCount),
      nodeName: this.nodeName.subarray(0, nodeCount),
      nodeObjectId: this.nodeObjectId.subarray(0, nodeCount),
      nodeSelfBytes: this.nodeSelfBytes.subarray(0, nodeCount),
      nodeTraceNodeId: this.nodeTraceNodeId === null ? null : this.nodeTraceNodeId.subarray(0, nodeCount),
      firstEdge: this.firstEdge.subarray(0, nodeCount + 1),
      edgeType: this.edgeType,
      edgeName: this.edgeName,
      edgeTarget: this.edgeTarget,
      strings: this.strings,
      locations: this.buildLocations(layout, nodeCount),
      traces: this.buildTraces(layout),
    };
  }

  private buildLocations(layout: SnapshotLayout, nodeCount: number): NodeLocations {
    const raw = this.locations ?? new Float64Array(0);
    const stride = layout.locationFieldCount;
    const [objectOffset, scriptOffset, lineOffset, columnOffset] = layout.locationOffsets;
    const usable = stride > 0 && objectOffset >= 0 && scriptOffset >= 0 && lineOffset >= 0 && columnOffset >= 0;
    const count = usable ? Math.floor(raw.length / stride) : 0;
    const nodeId = new Uint32Array(count);
    const scriptId = new Uint32Array(count);
    const line = new Uint32Array(count);
    const column = new Uint32Array(count);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const row = i * stride;
      const node = raw[row + objectOffset]! / layout.nodeFieldCount;
      if (!Number.isInteger(node) || node >= nodeCount) continue; // a stale row: skip it rather than fail
      nodeId[kept] = node;
      scriptId[kept] = raw[row + scriptOffset]!;
      line[kept] = raw[row + lineOffset]!;
      column[kept] = raw[row + columnOffset]!;
      kept++;
    }
    return {
      count: kept,
      nodeId: nodeId.subarray(0, kept),
      scriptId: scriptId.subarray(0, kept),
      line: line.subarray(0, kept),
      column: column.subarray(0, kept),
    };
  }

  private buildTraces(layout: SnapshotLayout): SnapshotTraces | null {
    const infos = this.traceFunctionInfos;
    if (infos === null || infos.length === 0 || layout.traceFunctionInfoFields.length === 0) return null;
    return {
      functionInfoFields: layout.traceFunctionInfoFields,
      functionInfos: infos,
      traceNodeFields: layout.traceNodeFields,
      traceTree: this.traceTree ?? [],
      strings: this.strings,
    };
  }
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `\`${String.fromCharCode(c)}\`` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
