import type { AnalysisReport } from '../../snapshot/analysis-report.js';
import { tool } from '../../version.js';
import type { CheckReport } from '../model.js';
import { keepHeadHops, keepTailHops } from '../short-path.js';
import { clientScript } from './client-script.js';
import { reportCss } from './styles.js';

/**
 * What the HTML view accepts: the request-driven report (`check`, and `watch`, which adds `per: 'request' |
 * 'second'` as its unit; `check` says `unit`) or the snapshot report (`analyze`, `diff`).
 */
export type HtmlReport = CheckReport | AnalysisReport;

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /**
   * Live mode (`watch --ui`): the page fetches `reportUrl` (the same report as JSON) every `intervalMs` and
   * redraws in place. Without it the page is a still file that makes no request at all.
   */
  readonly live?: { readonly reportUrl: string; readonly intervalMs: number };
  /** The page title; by default the command and its outcome. */
  readonly title?: string;
}

/**
 * The report as one self-contained HTML page: inline CSS, SVG charts and script, the report itself as JSON in
 * `<script type="application/json" id="report-data">`. No CDN, fonts or images are fetched, so it opens from
 * disk and can be attached to a CI run or an issue. Pure: the same report gives the same text.
 * The `generator` meta names leakfinder, so an output-path guard can tell our own files from the user's.
 */
export function renderHtml(report: HtmlReport, options: HtmlOptions = {}): string {
  const title = options.title ?? defaultTitle(report);
  const clientOptions = {
    fold: { head: keepHeadHops, tail: keepTailHops },
    ...(options.live === undefined ? {} : { live: { reportUrl: options.live.reportUrl, intervalMs: options.live.intervalMs } }),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeAttribute(`${tool.name} ${tool.version}`)}">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.live !== undefined)}">
<title>${escapeText(title)}</title>
<style>${reportCss}</style>
</head>
<body>
<a class="skip" href="#app">Skip to the report</a>
<header class="top"><h1>${escapeText(title)}</h1><span id="verdict" class="verdict"></span><span id="live" class="live" aria-live="polite"></span><button id="theme" type="button">theme</button></header>
<main id="app" tabindex="-1"><noscript>This report draws its tables and charts with JavaScript; the data is in the <code>report-data</code> element of this file (JSON).</noscript></main>
<script type="application/json" id="report-data">${jsonForScript(report)}</script>
<script type="application/json" id="report-options">${jsonForScript(clientOptions)}</script>
<script>${clientScript}</script>
</body>
</html>
`;
}

function defaultTitle(report: HtmlReport): string {
  if (!('files' in report)) return `leakfinder ${report.command}: ${report.verdict}`;
  const names = report.files.map((f) => f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')) + 1));
  if (report.command === 'diff') return `leakfinder diff: ${names[0] ?? ''} → ${names[1] ?? ''}`;
  return `leakfinder analyze: ${names.at(-1) ?? ''}${names.length > 1 ? ` (and ${names.length - 1} before it)` : ''}`;
}

/**
 * The page may run its own inline script and style and show inline SVG; it may fetch nothing, except, in live
 * mode, its own origin (the watch server's JSON). This makes "no network" a property the browser enforces.
 */
function contentSecurityPolicy(live: boolean): string {
  return `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src ${live ? "'self'" : "'none'"}; base-uri 'none'; form-action 'none'`;
}

/**
 * JSON that cannot end the `<script>` element it sits in: every `<` becomes `\u003c` (so neither `</script`
 * nor `<!--` can appear), and the two line separators JSON allows but old parsers do not are escaped too.
 * Non-finite numbers become null, as in the JSON report.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
