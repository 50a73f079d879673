// The HTML report's size and first paint, in Debian's Chromium (headless), for the demo's report and for
// analyze reports of 10,000 classes. A measurement, not a test: `npm run build` first, then
//   node bench/html-report.mjs [--runs 5]
// Prints, per page: the file size, the time from navigation start to the first contentful paint, and to the
// end of the first render of the tables (`data-render-ms`, set by the page's script), median of the runs.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = new URL('../packages/leakfinder/', import.meta.url);
const { renderHtml } = await import(new URL('dist/src/index.js', root).href);
const { main } = await import(new URL('dist/src/cli/main.js', root).href);
const { GraphSpec } = await import(new URL('dist/test/helpers/graph-builder.js', root).href);
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const dir = mkdtempSync(join(tmpdir(), 'lf-html-bench-'));

const pages = [];
// 1. The demo's report (a real `check` run, kept as a test fixture).
const demo = JSON.parse(readFileSync(new URL('test/fixtures/reports/demo-check.json', root), 'utf8'));
writeFileSync(join(dir, 'demo.html'), renderHtml(demo));
pages.push(['demo check report', join(dir, 'demo.html')]);

// 2. `analyze --top 10000 --html` on a real snapshot with 10,000 classes (short retainer paths: 3 hops).
const parts = ['(root) -> App'];
for (let i = 0; i < 10_000; i++) parts.push(`App -> Class${i}:${16 + ((i * 37) % 500)}`);
writeFileSync(join(dir, 'big.heapsnapshot'), new GraphSpec(parts.join('; ')).toSnapshotText());
const io = { stdout: new PassThrough().resume(), stderr: new PassThrough().resume(), stderrIsTty: false, signal: new AbortController().signal, cwd: dir };
if ((await main(['analyze', 'big.heapsnapshot', '--top', '10000', '--html', 'analyze.html'], io)) !== 0) throw new Error('analyze failed');
pages.push(['analyze, 10,000 classes (3-hop paths)', join(dir, 'analyze.html')]);

// 3. The same shape with paths as long as real servers give (12 hops, as in the demo) and long class names:
//    the size a 10,000-row report of a real heap reaches.
const hops = demo.findings[0].retainerPath;
const classes = Array.from({ length: 10_000 }, (_, i) => ({
  className: `SomeModule.Component${i}Handler`,
  key: `SomeModule.Component${i}Handler@${i}`,
  count: 1 + (i % 97),
  selfBytes: 32 * (1 + (i % 97)),
  retainedBytes: 1_000_000 - i * 90,
  retainerPath: [...hops.slice(0, -1), `SomeModule.Component${i}Handler \`<key>\``],
}));
const synthetic = { schemaVersion: 1, tool: demo.tool, command: 'analyze', files: [{ path: '/tmp/heap.heapsnapshot', fileBytes: 5e8, nodeCount: 5e6, edgeCount: 2e7, heapBytes: 2e8 }], classes, growth: [], warnings: [] };
writeFileSync(join(dir, 'synthetic.html'), renderHtml(synthetic));
pages.push(['analyze, 10,000 classes (12-hop paths)', join(dir, 'synthetic.html')]);

const blank = join(dir, 'blank.html');
writeFileSync(blank, '<!doctype html><title>blank</title>');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// CPU time (user + system) of Chromium's process tree, the children of this process, from /proc: the wall
// times above stretch with the machine's load, CPU time much less.
function treeCpuMs() {
  const stats = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(name), ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const inTree = new Set([process.pid]);
  let total = 0;
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) if (!inTree.has(s.pid) && inTree.has(s.ppid)) { inTree.add(s.pid); total += s.cpu; grew = true; }
  }
  return (total * 1000) / 100; // clock ticks (USER_HZ = 100) to ms
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Chromium ${browser.version()}, ${runs} loads per page, median (min-max); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('page'.padEnd(42), 'file'.padStart(10), 'first paint'.padStart(20), 'tables drawn'.padStart(20), 'Chromium CPU'.padStart(20));
for (const [name, file] of pages) {
  const fcp = [];
  const drawn = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(blank).href); // a file: page first, so the renderer process exists already
    const cpuBefore = treeCpuMs();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-render-ms]');
    cpu.push(treeCpuMs() - cpuBefore);
    drawn.push(Number(await page.getAttribute('html', 'data-render-ms')));
    fcp.push(await page.evaluate("new Promise((done) => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) done(e.startTime); else new PerformanceObserver((l) => done(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }); })"));
    await page.close();
  }
  const cell = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))})`;
  const kib = `${(readFileSync(file).length / 1024).toFixed(0)} KiB`;
  console.log(name.padEnd(42), kib.padStart(10), cell(fcp).padStart(20), cell(drawn).padStart(20), cell(cpu).padStart(20));
}
await browser.close();
rmSync(dir, { recursive: true, force: true });
