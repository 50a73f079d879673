import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Script } from 'node:vm';
import type { AnalysisReport } from '../../snapshot/analysis-report.js';
import { tool } from '../../version.js';
import { clientScript } from './client-script.js';
import { jsonForScript, renderHtml } from './render-html.js';

const report: AnalysisReport = {
  schemaVersion: 1,
  tool,
  command: 'analyze',
  files: [{ path: '/tmp/a.heapsnapshot', fileBytes: 10, nodeCount: 2, edgeCount: 1, heapBytes: 20 }],
  classes: [{ className: '</script><!-- x', key: 'k', count: 1, selfBytes: 2, retainedBytes: 3, retainerPath: ['(GC roots)', '</SCRIPT>'] }],
  growth: [],
  warnings: ['a \u2028 line separator'],
};

test('the report is embedded as JSON that cannot close its <script> element, and parses back whole', () => {
  const html = renderHtml(report);
  const start = html.indexOf('<script type="application/json" id="report-data">');
  const end = html.indexOf('</script>', start);
  const text = html.slice(start + '<script type="application/json" id="report-data">'.length, end);
  assert.deepEqual(JSON.parse(text), report);
  assert.doesNotMatch(text, /<\/script|<!--/i);
  assert.equal(jsonForScript({ n: Number.POSITIVE_INFINITY }), '{"n":null}');
});

test('the page is self-contained: generator meta, no external URL, a CSP that allows no fetch', () => {
  const html = renderHtml(report);
  assert.match(html.slice(0, 4096), new RegExp(`<meta name="generator" content="leakfinder ${tool.version}">`));
  assert.doesNotMatch(html, /\b(?:src|href)="(?:https?:)?\/\//);
  assert.match(html, /connect-src 'none'/);
  assert.match(renderHtml(report, { live: { reportUrl: '/report.json', intervalMs: 1000 } }), /connect-src 'self'.*"live":\{"reportUrl":"\/report.json","intervalMs":1000\}/s);
  assert.match(renderHtml(report, { title: 'a <b> title' }), /<title>a &lt;b&gt; title<\/title>/);
});

test('the client script is valid JavaScript (it is a string, so tsc does not check it)', () => {
  assert.doesNotThrow(() => new Script(clientScript, { filename: 'client-script.js' }));
});
