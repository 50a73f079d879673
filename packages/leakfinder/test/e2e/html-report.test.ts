// The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium), headless, driven by playwright-core.
// The pages come from real runs: `leakfinder check --html` on the demo server, `analyze --html` on a
// 10,000-class snapshot and on a growing series, `diff --html`. Each test asserts the page made no request
// beyond its own file, and saves a screenshot into dist/test-output/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { main } from '../../src/cli/main.js';
import { assertOutputPaths } from '../../src/cli/output-paths.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import type { CheckReport } from '../../src/report/model.js';
import { GraphSpec } from '../helpers/graph-builder.js';
import { runCli } from '../helpers/run-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '../../..');
const outputDir = join(packageDir, 'dist/test-output');
const dir = mkdtempSync(join(tmpdir(), 'lf-html-'));
let browser: Browser;

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a file in a fresh page (light scheme), recording every request and page error. */
async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-render-ms]');
  return { page, requests, errors };
}

function assertNoNetwork(requests: readonly string[]): void {
  const outside = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
  assert.deepEqual(outside, [], `the page fetched ${outside.join(', ')}`);
}

async function runInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough().resume();
  const stderr = new PassThrough();
  let err = '';
  stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const code = await main(args, { stdout, stderr, stderrIsTty: false, signal: new AbortController().signal, cwd: dir });
  return { code, stderr: err };
}

test('the demo\'s report: findings, charts, expandable path, theme, keyboard, no network', async () => {
  // A real `leakfinder check --json` run of examples/leaky-server.mjs with the default run size (see
  // test/fixtures/reports/README.md); rendering it here keeps this test to the browser's few seconds.
  const report = JSON.parse(readFileSync(join(packageDir, 'test/fixtures/reports/demo-check.json'), 'utf8')) as CheckReport;
  const finding = report.findings.find((f) => f.className === 'RequestLog');
  assert.ok(finding, 'the demo has its RequestLog finding');
  const html = join(dir, 'demo.html');
  writeFileSync(html, renderHtml(report));

  const { page, requests, errors } = await open(html);
  assert.equal(await page.getAttribute('meta[name=generator]', 'content'), `leakfinder ${report.tool.version}`);
  assert.equal(await page.textContent('#verdict'), 'LEAK');
  const rows = page.locator('#findings tr.row');
  assert.equal(await rows.count(), report.findings.length);
  assert.match((await rows.first().textContent()) ?? '', /RequestLog/);
  // The memory curve (heapUsed, external, RSS) and one growth chart per finding, with its fitted line.
  assert.equal(await page.locator('#section-memory svg polyline').count(), 3);
  assert.equal(await page.locator('#growth-charts .chart').count(), report.findings.length);
  assert.equal(await page.locator('#growth-charts svg line.fit').count(), report.findings.length);
  assert.equal(await page.locator('#thresholds tbody tr').count(), Object.keys(report.thresholds).length);

  // Click the finding: its details open, the path shows both ends with the middle folded; the fold expands.
  const index = report.findings.indexOf(finding);
  await rows.nth(index).click();
  const detail = page.locator('tr.detail').first();
  assert.match((await detail.textContent()) ?? '', /held by.*recentRequests/s);
  assert.match((await detail.textContent()) ?? '', /Delete the entry from Map `recentRequests`/);
  const link = await detail.locator('a[href^="vscode://file/"]').first().getAttribute('href');
  assert.match(link ?? '', /^vscode:\/\/file\/.*leaky-server\.mjs:\d+/);
  const hops = detail.locator('.path .hop');
  const path = finding.retainerPath;
  assert.ok(path.length > 10, `the demo's path is long enough to fold (${path.length} hops)`);
  assert.equal(await hops.count(), 9, 'two hops at the root end and seven at the holder end');
  assert.equal(await hops.last().textContent(), path[path.length - 1]);
  await detail.locator('button.fold').click();
  assert.deepEqual(await page.locator('tr.detail .path .hop').allTextContents(), path);

  // Keyboard: the row toggles with Enter and keeps focus across the redraw.
  await rows.nth(index).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('tr.detail').count(), 0);
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-act")'), 'toggle');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('tr.detail').count(), 1);

  // Theme: follows the system (light here), the button switches to dark, `t` switches back.
  const background = (): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  assert.equal(await background(), 'rgb(255, 255, 255)');
  await page.click('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.notEqual(await background(), 'rgb(255, 255, 255)');
  await page.screenshot({ path: join(outputDir, 'demo-report-dark.png'), fullPage: true });
  await page.keyboard.press('t');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await page.screenshot({ path: join(outputDir, 'demo-report.png'), fullPage: true });

  assertNoNetwork(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('check --html writes the page at the end of a real run (short run of the demo server)', async (t) => {
  const html = join(dir, 'check.html');
  const json = join(dir, 'check.json');
  const server = join(packageDir, 'examples/leaky-server.mjs');
  const run = await runCli(
    ['check', '--warmup', '300', '--requests', '400', '--cookies', '--alloc-stacks', 'off', '--quiet', '--html', html, '--json', json, '--', process.execPath, server],
    { timeoutMs: 90_000 },
  );
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as CheckReport;
  t.diagnostic(`check --html: ${readFileSync(html).length} bytes of HTML for ${report.findings.length} finding(s)`);
  const { page, requests, errors } = await open(html);
  assert.equal(await page.textContent('#verdict'), 'LEAK');
  assert.equal(await page.locator('#findings tr.row').count(), report.findings.length);
  assert.match((await page.textContent('#findings')) ?? '', /RequestLog/);
  assert.equal(await page.locator('#checkpoints tbody tr').count(), report.checkpoints.length);
  assertNoNetwork(requests);
  assert.deepEqual(errors, []);
  await page.close();
  // The output guard recognises the page as ours: a second run may replace it, a user's page it refuses.
  assert.doesNotThrow(() => assertOutputPaths([{ flag: '--html', path: html, kind: 'html' }], [], dir));
  writeFileSync(join(dir, 'theirs.html'), '<!doctype html><title>mine</title>');
  assert.throws(() => assertOutputPaths([{ flag: '--html', path: 'theirs.html', kind: 'html' }], [], dir), /not a leakfinder HTML report/);
});

test('analyze --html with 10,000 classes: paged table, sort, filter, expand, first paint measured', async (t) => {
  // One real snapshot with 10,000 classes of different sizes and counts, plus a class whose name would end
  // the page's <script> if it were not escaped.
  const hostile = '</script><!--<img src=x onerror=alert(1)>';
  const parts: string[] = ['(root) -> App'];
  for (let i = 0; i < 10_000; i++) {
    const copies = (i % 3) + 1;
    const nodes = Array.from({ length: copies }, (_, k) => `Class${i}${k === 0 ? '' : `#${k + 1}`}:${16 + ((i * 37) % 500)}`);
    parts.push(`App -> ${nodes.join(', ')}`);
  }
  parts.push(`App -> ${hostile}:100000`);
  writeFileSync(join(dir, 'big.heapsnapshot'), new GraphSpec(parts.join('; ')).toSnapshotText());
  const r = await runInProcess(['analyze', 'big.heapsnapshot', '--top', '10000', '--html', 'big.html']);
  assert.equal(r.code, 0, r.stderr);
  const file = join(dir, 'big.html');
  const bytes = readFileSync(file).length;

  const started = Date.now();
  const { page, requests, errors } = await open(file);
  const renderMs = Number(await page.getAttribute('html', 'data-render-ms'));
  t.diagnostic(`10,000-class analyze: ${bytes} bytes of HTML; table drawn ${renderMs} ms after navigation start (${Date.now() - started} ms with page setup)`);
  const rows = page.locator('#classes tbody tr.row');
  assert.equal(await rows.count(), 100);
  assert.match((await page.textContent('#page-info')) ?? '', /rows 1–100 of 10,000, page 1 of 100/);

  // Sort by count (descending first, then ascending); the column says how it is sorted.
  const counts = async (): Promise<number[]> =>
    (await page.locator('#classes tbody tr.row td:nth-child(2)').allTextContents()).map((s) => Number(s.replace(/,/g, '')));
  await page.click('#classes th[data-key=count]');
  assert.equal(await page.getAttribute('#classes th[data-key=count]', 'aria-sort'), 'descending');
  const desc = await counts();
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  assert.equal(desc[0], 3);
  await page.keyboard.press('Enter'); // the header keeps focus: Enter sorts the other way
  assert.equal(await page.getAttribute('#classes th[data-key=count]', 'aria-sort'), 'ascending');
  assert.equal((await counts())[0], 1);
  await page.click('#classes th[data-key=className]');
  const names = await page.locator('#classes tbody tr.row td:first-child').allTextContents();
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));

  // Next page, filter (also with `/`), expand one class for its retainer path.
  await page.click('button[data-act=page][data-key="1"]');
  assert.match((await page.textContent('#page-info')) ?? '', /rows 101–200 of 10,000/);
  await page.keyboard.press('/');
  await page.keyboard.type('class999');
  assert.match((await page.textContent('#page-info')) ?? '', /of 11 \(filtered from 10,000\)/);
  const row = page.locator('#classes tbody tr.row').filter({ has: page.locator('td:first-child', { hasText: /^Class9990$/ }) });
  await row.click();
  assert.deepEqual(await page.locator('#classes tr.detail .path .hop').allTextContents(), ['(GC roots)', 'App `app`', 'Class9990 `<key>`']);

  // The hostile class name is text, not markup, and the data survived the <script> element.
  await page.fill('#filter', '</script>');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().locator('td').first().textContent(), hostile);
  assert.equal(await page.locator('img').count(), 0);

  await page.fill('#filter', '');
  await page.screenshot({ path: join(outputDir, 'analyze-10000-classes.png') });
  assertNoNetwork(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('analyze --html of a growing series and diff --html: growth table, per-class +/-, new objects by holder', async () => {
  const entries = (count: number): string =>
    new GraphSpec(`(root) -> App; App -> Config:30, Cache:20; Cache -element-> ${Array.from({ length: count }, (_, i) => `Entry#${i + 1}:40`).join(', ')}`).toSnapshotText();
  for (const [name, count] of [['s1', 2], ['s2', 4], ['s3', 6]] as const) writeFileSync(join(dir, `${name}.heapsnapshot`), entries(count));

  assert.equal((await runInProcess(['analyze', 's1.heapsnapshot', 's2.heapsnapshot', 's3.heapsnapshot', '--html', 'series.html'])).code, 1);
  const series = await open(join(dir, 'series.html'));
  assert.equal(await series.page.textContent('#verdict'), 'GROWTH');
  const growth = series.page.locator('#growth tbody tr.row', { hasText: 'Entry' });
  assert.match((await growth.textContent()) ?? '', /2 → 4 → 6/);
  assert.equal(await growth.locator('svg.spark').count(), 1);
  await growth.click();
  assert.match((await series.page.locator('#growth tr.detail').textContent()) ?? '', /Cache `cache`/);
  assertNoNetwork(series.requests);
  await series.page.close();

  assert.equal((await runInProcess(['diff', 's1.heapsnapshot', 's3.heapsnapshot', '--html', 'diff.html'])).code, 0);
  const diff = await open(join(dir, 'diff.html'));
  const entryRow = diff.page.locator('#classes tbody tr.row', { hasText: 'Entry' });
  assert.match((await entryRow.textContent()) ?? '', /\+4/);
  assert.match((await diff.page.locator('#new-objects tbody').textContent()) ?? '', /4.*Entry/s);
  await diff.page.locator('#new-objects tr.row').first().click();
  assert.match((await diff.page.locator('#new-objects tr.detail').textContent()) ?? '', /Cache `cache`/);
  await diff.page.screenshot({ path: join(outputDir, 'diff.png'), fullPage: true });
  // With no choice made, the page follows the system's scheme.
  await diff.page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await diff.page.getAttribute('html', 'data-theme'), null);
  assert.equal(await diff.page.evaluate<string>('getComputedStyle(document.body).backgroundColor'), 'rgb(20, 23, 31)');
  assert.match((await diff.page.textContent('#theme')) ?? '', /light theme/);
  assertNoNetwork(diff.requests);
  assert.deepEqual([...series.errors, ...diff.errors], []);
  await diff.page.close();
});

test('live mode: the page polls its report URL and redraws in place, keeping what was opened', async () => {
  const saved = JSON.parse(readFileSync(join(packageDir, 'test/fixtures/reports/demo-check.json'), 'utf8')) as CheckReport;
  // A site found by joining sampled allocations to the class by name, not from the object's own stack, reads
  // "probably" (the field is how a finder says so; the demo's own report has no such site).
  const guessed = { ...saved.findings[0]!, creationSite: { ...saved.findings[0]!.creationSite!, foundBy: 'sampled-stack' as const } };
  let current: CheckReport = { ...saved, verdict: 'inconclusive', findings: [guessed] };
  const server: Server = createServer((req, res) => {
    if (req.url === '/report.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(current));
    } else {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(renderHtml(current, { live: { reportUrl: '/report.json', intervalMs: 300 } }));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const port = (server.address() as { port: number }).port;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('html[data-render-ms]');
    assert.equal(await page.textContent('#verdict'), 'MEASURING');
    await page.locator('#findings tr.row').first().click();
    assert.match((await page.locator('tr.detail').textContent()) ?? '', /created\s*probably/);
    current = {
      ...saved,
      command: 'watch',
      unit: 'second',
      verdict: 'leak',
      checkpoints: [...saved.checkpoints, { ...saved.checkpoints.at(-1)!, requests: 1250 }],
      watch: {
        mode: 'snapshot',
        endedInMode: 'snapshot',
        target: { pid: 4242, nodeVersion: 'v20.20.2', inspector: '127.0.0.1:9229', openedInspector: true },
        endedBy: 'duration',
        skippedSnapshots: [],
        longestPauseMs: 812,
        candidates: [{ name: 'RequestLog via Map `recentRequests`', source: 'snapshot', countPerRequest: 1, bytesPerRequest: 136, fitR2: 1, requests: [0, 1, 2], values: [10, 20, 30] }],
        restored: true,
      },
    };
    await page.locator('#verdict', { hasText: 'LEAK' }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('#checkpoints tbody tr').count(), saved.checkpoints.length + 1);
    assert.equal(await page.locator('tr.detail').count(), 1, 'the opened finding stays open across the redraw');
    assert.doesNotMatch((await page.locator('tr.detail').textContent()) ?? '', /probably/);
    assert.match((await page.textContent('#live')) ?? '', /live: updated/);
    // A watch report: per second, how it measured, and what rises now.
    assert.match((await page.textContent('#findings thead')) ?? '', /objects \/ second/);
    assert.match((await page.textContent('#section-watch')) ?? '', /pid 4242.*longest pause\s*812 ms.*RequestLog via Map `recentRequests`\s*≈1\.00\s*136 B/s);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.close();
  }
});

test('a scenario report reads per iteration, with its HTTP requests, first failure, live handles and baseline comparison', async () => {
  const saved = JSON.parse(readFileSync(join(packageDir, 'test/fixtures/reports/demo-check.json'), 'utf8')) as CheckReport;
  const report: CheckReport = {
    ...saved,
    unit: 'iteration',
    scenario: {
      file: '/app/flow.mjs',
      httpRequests: 3000,
      httpByStatus: { '2xx': 2990, '3xx': 0, '4xx': 10, '5xx': 0, failed: 0 },
      iterationTimeoutSeconds: 30,
      firstError: { message: 'expected 200, got 404', file: '/app/flow.mjs', line: 12 },
    },
    checkpoints: saved.checkpoints.map((c, i) => ({ ...c, activeResources: { Timeout: 2 + i, TCPSocketWrap: 1 } })),
    comparison: {
      baseline: '/app/before.json',
      baselineVerdict: 'leak',
      verdict: 'leak',
      entries: [
        { status: 'smaller', group: saved.findings[0]!.group, className: 'RequestLog', kind: 'per-request-growth', ratio: 0.5, matchedBy: 'group',
          before: { kind: 'per-request-growth', group: saved.findings[0]!.group, countPerRequest: 2, bytesPerRequest: 272 },
          after: { kind: 'per-request-growth', group: saved.findings[0]!.group, countPerRequest: 1, bytesPerRequest: 136 } },
      ],
      summary: { fixed: 0, smaller: 1, stillLeaking: 0, new: 0 },
      result: 'fail',
    },
  };
  const file = join(dir, 'scenario.html');
  writeFileSync(file, renderHtml(report));
  const { page, requests, errors } = await open(file);
  assert.match((await page.textContent('#findings thead')) ?? '', /objects \/ iteration/);
  assert.match((await page.textContent('#app')) ?? '', /HTTP inside\s*3,000 requests/);
  assert.equal(await page.getAttribute('a[href="vscode://file/app/flow.mjs:12"]', 'title'), '/app/flow.mjs (opens in VS Code)');
  assert.match((await page.textContent('#checkpoints thead')) ?? '', /iterations.*live handles/s);
  assert.match((await page.locator('#checkpoints tbody tr').last().textContent()) ?? '', /7 \(Timeout 6, TCPSocketWrap 1\)/);
  // check --baseline: what became of the baseline's finding.
  assert.match((await page.textContent('#section-comparison')) ?? '', /FAIL.*1 smaller.*smaller\s*RequestLog.*≈2\.00.*≈1\.00.*0\.50×\s*group/s);
  assertNoNetwork(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare --html: the later report with what became of the baseline leak at its top', async () => {
  const saved = readFileSync(join(packageDir, 'test/fixtures/reports/demo-check.json'), 'utf8');
  writeFileSync(join(dir, 'before.json'), saved);
  writeFileSync(join(dir, 'after.json'), saved);
  const r = await runInProcess(['compare', 'before.json', 'after.json', '--html', 'compare.html']);
  assert.equal(r.code, 1, r.stderr);
  const { page, requests, errors } = await open(join(dir, 'compare.html'));
  assert.equal(await page.title(), 'leakfinder compare: fail');
  assert.match((await page.textContent('#section-comparison')) ?? '', /FAIL.*1 still leaking.*still leaking\s*RequestLog/s);
  assert.equal(await page.locator('#findings tr.row').count(), (JSON.parse(saved) as CheckReport).findings.length);
  assertNoNetwork(requests);
  assert.deepEqual(errors, []);
  await page.close();
});
