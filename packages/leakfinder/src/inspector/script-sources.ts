import type { InspectorSession } from './session.js';

/** A script as the target's V8 compiled it: its URL, its `sourceMappingURL` (may be a `data:` URL) and its text. */
export interface ScriptSource {
  readonly scriptId: number;
  readonly url: string;
  /** As written in the script's `//# sourceMappingURL=` comment, '' when none. */
  readonly sourceMapUrl: string;
  /** The generated code V8 ran (for `tsx`, the transformed code, which is not on disk); null if unavailable. */
  readonly text: string | null;
}

/**
 * Reads the scripts with the given V8 script ids (the `script_id` of allocation traces; a bare iterable means
 * ids) or URLs: URL, source
 * map URL and source text. Enables the Debugger domain only for the call (it replays `scriptParsed` for every
 * loaded script) and disables it again, so the target runs without a debugger afterwards.
 */
export async function readScriptSources(
  session: InspectorSession,
  wantedScripts: Iterable<number> | { readonly scriptIds?: Iterable<number>; readonly urls?: Iterable<string> },
  options: { signal?: AbortSignal } = {},
): Promise<Map<number, ScriptSource>> {
  const wanted = Symbol.iterator in wantedScripts ? { scriptIds: wantedScripts } : wantedScripts;
  const ids = new Set([...(wanted.scriptIds ?? [])].filter((id) => id > 0).map(String));
  const urls = new Set([...(wanted.urls ?? [])].filter((url) => url !== ''));
  const parsed = new Map<string, { url: string; sourceMapUrl: string }>();
  const off = session.on('Debugger.scriptParsed', (event) => {
    if (ids.has(event.scriptId) || urls.has(event.url)) parsed.set(event.scriptId, { url: event.url, sourceMapUrl: event.sourceMapURL ?? '' });
  });
  const found = new Map<number, ScriptSource>();
  try {
    await session.call('Debugger.enable', {}, { signal: options.signal });
    // scriptParsed for existing scripts arrives before enable's reply, so `parsed` is complete here.
    for (const [scriptId, meta] of parsed) {
      let text: string | null = null;
      try {
        text = (await session.call('Debugger.getScriptSource', { scriptId }, { signal: options.signal })).scriptSource;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // a script that was collected since: keep its URL and map, without text
      }
      found.set(Number(scriptId), { scriptId: Number(scriptId), url: meta.url, sourceMapUrl: meta.sourceMapUrl, text });
    }
  } finally {
    off();
    await session.call('Debugger.disable', undefined, { timeoutMs: 10_000 }).catch(() => undefined);
  }
  return found;
}
