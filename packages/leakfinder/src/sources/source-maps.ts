import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** What the target's V8 knows about a script (from `readScriptSources`); lets maps of `tsx` code resolve. */
export interface LiveScript {
  readonly url: string;
  /** The script's `sourceMappingURL`: a `data:` URL (inline map), a path relative to the script, or ''. */
  readonly sourceMapUrl: string;
  readonly text: string | null;
}

/** A position after mapping: the original file when a source map covered it, else the generated one. */
export interface MappedPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** True when a source map moved the position. */
  readonly mapped: boolean;
}

interface ScriptEntry {
  readonly text: string | null;
  readonly map: TraceMap | null;
}

/** Where the generated code of a script came from, for a warning that names it. */
const kTypeScriptLike = /\.(?:[cm]?tsx?)$/;

/**
 * Maps generated `file:line:column` positions (1-based, as V8 reports them) back to original sources through
 * source maps: inline `data:` URLs and `.map` files, as `tsc --sourceMap`, `tsx`, `ts-node` and bundlers
 * write them (read with `@jridgewell/trace-mapping`). A broken or missing map never fails: the position stays
 * generated and `warnings` gets one line per script saying why.
 * @example
 * const maps = new SourceMapResolver({ scripts }); // scripts: from readScriptSources, or none offline
 * maps.toOriginal(42, 'file:///app/dist/server.js', 10, 5); // { file: 'file:///app/src/server.ts', line: 12, … }
 */
export class SourceMapResolver {
  /** One line per script whose map could not be used. */
  readonly warnings: string[] = [];
  readonly #live: ReadonlyMap<number, LiveScript>;
  /** Frames that lost their script id on the way (e.g. through the report model) are found by URL. */
  readonly #liveByUrl = new Map<string, LiveScript>();
  readonly #readFile: (path: string) => string | null;
  readonly #entries = new Map<string, ScriptEntry>();

  constructor(options: { scripts?: ReadonlyMap<number, LiveScript>; readFile?: (path: string) => string | null } = {}) {
    this.#live = options.scripts ?? new Map();
    for (const script of this.#live.values()) if (!this.#liveByUrl.has(script.url)) this.#liveByUrl.set(script.url, script);
    this.#readFile = options.readFile ?? readTextOrNull;
  }

  /** The code V8 ran for a script: the live text when known (it may exist only in memory), else the file. */
  generatedText(scriptId: number, scriptName: string): string | null {
    return this.#entry(scriptId, scriptName).text;
  }

  /** Maps a generated position; falls back to it (mapped: false) when no usable map covers it. */
  toOriginal(scriptId: number, scriptName: string, line: number, column: number): MappedPosition {
    const generated = { file: scriptName, line, column, mapped: false };
    if (line < 1) return generated;
    const entry = this.#entry(scriptId, scriptName);
    if (entry.map === null) return generated;
    const needle = { line, column: Math.max(0, column - 1) };
    try {
      let original = originalPositionFor(entry.map, { ...needle, bias: GREATEST_LOWER_BOUND });
      if (original.source === null) original = originalPositionFor(entry.map, { ...needle, bias: LEAST_UPPER_BOUND });
      if (original.source === null) return generated;
      return { file: original.source, line: original.line, column: original.column + 1, mapped: true };
    } catch (error) {
      // trace-mapping decodes `mappings` lazily, so a corrupt map can fail only here
      this.warnings.push(`${scriptName}: its source map is unusable (${(error as Error).message}); showing positions in the generated code.`);
      this.#entries.set(`${scriptId}\0${scriptName}`, { text: entry.text, map: null });
      return generated;
    }
  }

  #entry(scriptId: number, scriptName: string): ScriptEntry {
    const key = `${scriptId}\0${scriptName}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = this.#load(scriptId, scriptName);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #load(scriptId: number, scriptName: string): ScriptEntry {
    const live = this.#live.get(scriptId) ?? this.#liveByUrl.get(scriptName);
    const scriptPath = toPath(scriptName);
    if (scriptName === '' || scriptName.startsWith('node:') || scriptName.startsWith('internal/')) return { text: null, map: null };
    const text = live?.text ?? (scriptPath === null ? null : this.#readFile(scriptPath));
    const mapUrl = live !== undefined ? live.sourceMapUrl : text === null ? '' : sourceMappingUrlOf(text);
    if (mapUrl === '') {
      if (live === undefined && kTypeScriptLike.test(scriptName)) {
        this.warnings.push(
          `${scriptName} was transformed when loaded and its source map lives only in that process; ` +
            'positions in it are of the transformed code (run `check` for mapped positions).',
        );
      }
      return { text, map: null };
    }
    try {
      const { json, url } = this.#readMap(mapUrl, scriptName, scriptPath);
      return { text, map: new TraceMap(json, url) };
    } catch (error) {
      const shown = mapUrl.startsWith('data:') ? 'its inline source map' : `its source map ${mapUrl}`;
      this.warnings.push(`${scriptName}: ${shown} is unusable (${(error as Error).message}); showing positions in the generated code.`);
      return { text, map: null };
    }
  }

  #readMap(mapUrl: string, scriptName: string, scriptPath: string | null): { json: string; url: string } {
    if (mapUrl.startsWith('data:')) return { json: decodeDataUrl(mapUrl), url: scriptName };
    if (/^https?:/.test(mapUrl)) throw new Error('maps served over HTTP are not fetched');
    let mapPath: string;
    if (mapUrl.startsWith('file:')) mapPath = fileURLToPath(mapUrl);
    else if (isAbsolute(mapUrl)) mapPath = mapUrl;
    else if (scriptPath !== null) mapPath = resolvePath(dirname(scriptPath), decodeURIComponent(mapUrl));
    else throw new Error(`cannot resolve ${mapUrl} relative to ${scriptName}`);
    const json = this.#readFile(mapPath);
    if (json === null) throw new Error(`${mapPath} cannot be read`);
    // sources resolve against the map's own location, in the same form (URL or path) the runtime used
    return { json, url: scriptName.startsWith('file:') ? pathToFileURL(mapPath).href : mapPath };
  }
}

/** The last `//# sourceMappingURL=` of a script (earlier ones may belong to inlined code), or ''. */
export function sourceMappingUrlOf(text: string): string {
  const tail = text.slice(Math.max(0, text.length - 1_000_000));
  let found = '';
  for (const m of tail.matchAll(/\/[/*][#@][ \t]+sourceMappingURL=([^\s'"*]+)/g)) found = m[1]!;
  return found;
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error('the data: URL has no comma');
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  return header.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
}

function toPath(scriptName: string): string | null {
  if (scriptName.startsWith('file:')) {
    try {
      return fileURLToPath(scriptName);
    } catch {
      return null;
    }
  }
  return isAbsolute(scriptName) ? scriptName : null;
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
