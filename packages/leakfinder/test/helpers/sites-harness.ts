// The labelled set of issue #12: leak shapes built on real npm packages (test/fixtures/sites/), each with the
// line its leaked objects come from written in the fixture, and a healthy twin (`--healthy`). Runs `check`
// for real on one fixture and scores the creation site it names: right, wrong or none.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/check/check.js';
import type { AllocStacksMode } from '../../src/check/alloc-stacks.js';
import type { CheckReport } from '../../src/report/model.js';
import type { SourceSite } from '../../src/detect/finding.js';

/** The labelled fixtures, beside this package's sources (not compiled). */
export const sitesFixturesDir = fileURLToPath(new URL('../../../test/fixtures/sites/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** What a fixture says about itself: its shape, the expected site, and how to request it. */
export interface SitesFixture {
  readonly name: string;
  readonly file: string;
  readonly shape: string;
  /** The user's line (`// LEAK-LINE`), or a library file (under node_modules) and a snippet of its line. */
  readonly expect: { readonly kind: 'user'; readonly line: number } | { readonly kind: 'library'; readonly file: string; readonly snippet: string | null };
  readonly method: string;
  readonly multipart: boolean;
  /** Scored on the session finding rather than the first one. */
  readonly session: boolean;
}

/** All fixtures, sorted by name. */
export function readSitesFixtures(): SitesFixture[] {
  return readdirSync(sitesFixturesDir).filter((f) => f.endsWith('.mjs')).sort().map((name) => {
    const file = join(sitesFixturesDir, name);
    const text = readFileSync(file, 'utf8');
    const header = (h: string): string | undefined => new RegExp(`^// @${h}(?: (.+))?$`, 'm').exec(text)?.[1]?.trim() ?? (new RegExp(`^// @${h}$`, 'm').test(text) ? '' : undefined);
    const lib = header('expect-lib');
    const leakLine = text.split('\n').findIndex((l) => l.includes('// LEAK-LINE')) + 1;
    let expect: SitesFixture['expect'];
    if (lib !== undefined && lib !== '') {
      const [libFile, ...snippet] = lib.split(' ');
      expect = { kind: 'library', file: libFile!, snippet: snippet.length > 0 ? snippet.join(' ') : null };
    } else if (leakLine > 0) expect = { kind: 'user', line: leakLine };
    else throw new Error(`${file}: needs a // LEAK-LINE marker or // @expect-lib`);
    return {
      name, file, expect,
      shape: header('shape') ?? name,
      method: header('method') ?? 'GET',
      multipart: header('body') === 'multipart',
      session: header('session') !== undefined,
    };
  });
}

/** How a named site compares with the label. */
export type Score = 'right' | 'wrong' | 'none';

/** Scores one site against a fixture's label. */
export function scoreSite(fixture: SitesFixture, site: SourceSite | null): Score {
  if (site === null) return 'none';
  const file = site.file.startsWith('file://') ? fileURLToPath(site.file) : site.file;
  if (fixture.expect.kind === 'user') return file === fixture.file && site.line === fixture.expect.line ? 'right' : 'wrong';
  const wanted = `node_modules/${fixture.expect.file}`;
  if (!file.endsWith(wanted)) return 'wrong';
  if (fixture.expect.snippet === null) return 'right';
  const line = readFileSync(file, 'utf8').split('\n')[site.line - 1] ?? '';
  return line.includes(fixture.expect.snippet) ? 'right' : 'wrong';
}

/** The finding a fixture is scored on: the session finding for session fixtures, else the first one. */
export function scoredFinding(fixture: SitesFixture, report: CheckReport): CheckReport['findings'][number] | undefined {
  if (fixture.session) return report.findings.find((f) => f.kind === 'session-per-request') ?? report.findings[0];
  return report.findings[0];
}

/** Runs `check` on a fixture (or its healthy twin) with one `--alloc-stacks` mode. */
export async function runSitesFixture(
  fixture: SitesFixture,
  options: { mode: AllocStacksMode; healthy?: boolean; warmup?: number; requests?: number },
): Promise<CheckReport> {
  const dir = await mkdtemp(join(tmpdir(), 'lf-sites-'));
  try {
    let body: Buffer | undefined;
    const headers: Record<string, string> = {};
    if (fixture.multipart) {
      const boundary = 'leakfinderboundary';
      body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n` +
          `${'x'.repeat(600)}\r\n--${boundary}--\r\n`,
      );
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      await writeFile(join(dir, 'body'), body);
    }
    return await check({
      command: [process.execPath, fixture.file, ...(options.healthy ? ['--healthy'] : [])],
      cwd: repoRoot,
      method: fixture.method,
      headers,
      body,
      allocStacks: options.mode,
      ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
      ...(options.requests !== undefined ? { requests: options.requests } : {}),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
