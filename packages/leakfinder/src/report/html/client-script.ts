/**
 * The HTML report's client script, inlined into every file. It reads the report from the
 * `<script type="application/json" id="report-data">` element and draws the page from it: tables as HTML,
 * charts as inline SVG drawn here (a line chart needs scales, ticks and a polyline; a charting library
 * would be 50-200 KB to draw the same), so the file needs no network and opens from disk. In live mode
 * (`report-options` has `live`), it polls `live.reportUrl` and redraws in place, keeping what the reader
 * expanded, sorted and filtered.
 *
 * Plain ES2020 in a string (there is no bundler): no backticks or `${` inside, which would end or
 * interpolate the template. Every text from the report goes through `esc()` before it reaches innerHTML.
 * Element ids and `data-act` names are what the browser tests drive; keep them stable.
 */
export const clientScript = String.raw`
(function () {
'use strict';
var doc = document;
performance.mark('lf-start');
var report = JSON.parse(doc.getElementById('report-data').textContent);
performance.mark('lf-parsed');
var optEl = doc.getElementById('report-options');
var options = optEl ? JSON.parse(optEl.textContent) : {};
var fold = options.fold || { head: 2, tail: 7 };
var app = doc.getElementById('app');
var state = { expanded: {}, unfolded: {}, sort: null, filter: '', page: 0, pageSize: 100, live: null };
var sortedCache = null;

// ---- formatting -------------------------------------------------------------------------------------
function esc(v) {
  return String(v).replace(/[&<>"']/g, function (c) {
    return c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;';
  });
}
function num(v) { return typeof v === 'number' && isFinite(v); }
function fmtBytes(b) {
  if (!num(b)) return '–';
  var sign = b < 0 ? '-' : '', v = Math.abs(b), units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return sign + v.toFixed(u === 0 || v >= 100 ? 0 : 1) + ' ' + units[u];
}
function fmtCount(n) { return num(n) ? Math.round(n).toLocaleString('en-US') : '–'; }
function fmtRate(v) {
  if (!num(v)) return '–';
  var a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}
function fmtMs(ms) { return !num(ms) ? '–' : ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s'; }
function signed(v, f) { return !num(v) ? '–' : v > 0 ? '+' + f(v) : v < 0 ? '-' + f(-v) : '0'; }
function deltaClass(v) { return v > 0 ? 'plus' : v < 0 ? 'minus' : ''; }
/** What one step of the load is: unit (check: request | iteration), or per (watch: request | second | iteration). */
function unitName() { return report.unit || report.per || 'request'; }
function plural(u) { return u + 's'; }

// ---- statistics: the same least-squares fit the detector uses --------------------------------------
function fit(xs, ys) {
  var n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  var mx = 0, my = 0, i;
  for (i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
  mx /= n; my /= n;
  var sxx = 0, sxy = 0, syy = 0;
  for (i = 0; i < n; i++) { sxx += (xs[i] - mx) * (xs[i] - mx); sxy += (xs[i] - mx) * (ys[i] - my); syy += (ys[i] - my) * (ys[i] - my); }
  if (sxx === 0) return null;
  var slope = sxy / sxx;
  return { slope: slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

// ---- SVG charts ---------------------------------------------------------------------------------------
function niceTicks(min, max, count) {
  if (min === max) { max = min + 1; min = Math.max(0, min - 1); }
  var step = (max - min) / count, mag = Math.pow(10, Math.floor(Math.log10(step))), r = step / mag;
  step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * mag;
  var ticks = [], t = Math.floor(min / step) * step;
  for (; t <= max + step * 0.5; t += step) ticks.push(t);
  if (ticks[ticks.length - 1] < max) ticks.push(t);
  return ticks;
}
/** Byte axes step in KiB/MiB/GiB (powers of 1024), so ticks read 4.25 MiB rather than 4456448. */
function byteAxis(max) {
  var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], u = 0, v = Math.abs(max);
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return { div: Math.pow(1024, u), unit: ' ' + units[u] };
}
/** spec: { xs, series: [{ ys, cls, label }], fitLine: {slope, intercept}|null, bytes, xLabel, w, h, label } */
function lineChart(spec) {
  var w = spec.w || 320, h = spec.h || 150, l = 62, r = 10, t = 8, b = 30;
  var xs = spec.xs, all = [];
  spec.series.forEach(function (s) { s.ys.forEach(function (y) { if (num(y)) all.push(y); }); });
  if (xs.length === 0 || all.length === 0) return '<p class="muted">no data</p>';
  var yMin = Math.min.apply(null, all), yMax = Math.max.apply(null, all), axis = spec.bytes ? byteAxis(yMax) : { div: 1, unit: '' };
  // A memory axis spans at least 2% of its value: a few bytes of noise on 2 MiB should look flat, not like a cliff.
  var minSpan = spec.bytes ? Math.abs(yMax) * 0.02 : 0;
  if (yMax - yMin < minSpan) { var mid = (yMax + yMin) / 2; yMin = Math.max(0, mid - minSpan / 2); yMax = mid + minSpan / 2; }
  var yt = niceTicks(yMin / axis.div, yMax / axis.div, 4), y0 = yt[0] * axis.div, y1 = yt[yt.length - 1] * axis.div;
  var step = yt.length > 1 ? yt[1] - yt[0] : 1, dec = Math.max(0, Math.min(3, Math.ceil(-Math.log10(step) - 1e-9)));
  var yFmt = spec.bytes ? fmtBytes : fmtCount;
  var xMin = Math.min.apply(null, xs), xMax = Math.max.apply(null, xs);
  if (xMin === xMax) { xMin -= 1; xMax += 1; }
  var sx = function (x) { return l + ((x - xMin) / (xMax - xMin)) * (w - l - r); };
  var sy = function (y) { return t + (1 - (y - y0) / (y1 - y0 || 1)) * (h - t - b); };
  var out = ['<svg viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="' + esc(spec.label || 'chart') + '">'];
  yt.forEach(function (v) {
    var y = sy(v * axis.div).toFixed(1);
    out.push('<line class="grid" x1="' + l + '" x2="' + (w - r) + '" y1="' + y + '" y2="' + y + '"/>');
    var text = spec.bytes ? v.toFixed(dec) + axis.unit : dec > 0 ? v.toFixed(dec) : fmtCount(v);
    out.push('<text x="' + (l - 4) + '" y="' + (Number(y) + 3).toFixed(1) + '" text-anchor="end">' + esc(text) + '</text>');
  });
  var xt = xs.length <= 6 ? xs : niceTicks(xMin, xMax, 5).filter(function (v) { return v >= xMin && v <= xMax; });
  xt.forEach(function (v) {
    out.push('<text x="' + sx(v).toFixed(1) + '" y="' + (h - b + 13) + '" text-anchor="middle">' + esc(fmtCount(v)) + '</text>');
  });
  if (spec.xLabel) out.push('<text x="' + ((l + w - r) / 2) + '" y="' + (h - 3) + '" text-anchor="middle">' + esc(spec.xLabel) + '</text>');
  spec.series.forEach(function (s) {
    var pts = [];
    for (var i = 0; i < xs.length; i++) if (num(s.ys[i])) pts.push(sx(xs[i]).toFixed(1) + ',' + sy(s.ys[i]).toFixed(1));
    out.push('<polyline class="line ' + s.cls + '" points="' + pts.join(' ') + '"/>');
    for (var j = 0; j < xs.length; j++) {
      if (!num(s.ys[j])) continue;
      out.push('<circle class="' + s.cls.replace('s', 'f') + '" r="3" cx="' + sx(xs[j]).toFixed(1) + '" cy="' + sy(s.ys[j]).toFixed(1) + '"><title>' +
        esc(s.label + ': ' + yFmt(s.ys[j]) + ' at ' + fmtCount(xs[j]) + ' ' + (spec.xLabel || '')) + '</title></circle>');
    }
  });
  // Drawn last, dashed, so a perfect fit still shows over the points.
  if (spec.fitLine) {
    var f = spec.fitLine;
    out.push('<line class="fit" x1="' + sx(xMin).toFixed(1) + '" y1="' + sy(f.intercept + f.slope * xMin).toFixed(1) + '" x2="' + sx(xMax).toFixed(1) + '" y2="' +
      sy(f.intercept + f.slope * xMax).toFixed(1) + '"><title>fitted line: ' + esc(fmtRate(f.slope)) + ' per step of x, r² ' + f.r2.toFixed(3) + '</title></line>');
  }
  out.push('</svg>');
  return out.join('');
}
function sparkline(ys) {
  var vals = ys.filter(num);
  if (vals.length < 2) return '';
  var min = Math.min.apply(null, vals), max = Math.max.apply(null, vals), w = 90, h = 22;
  var pts = ys.map(function (y, i) {
    return ((i / (ys.length - 1)) * (w - 4) + 2).toFixed(1) + ',' + (h - 2 - (max === min ? 0.5 : (y - min) / (max - min)) * (h - 4)).toFixed(1);
  });
  return '<svg class="spark" viewBox="0 0 ' + w + ' ' + h + '" aria-hidden="true"><polyline class="line s1" points="' + pts.join(' ') + '"/></svg>';
}

// ---- shared pieces -------------------------------------------------------------------------------------
/** A file path as V8 gives it (absolute path or file:// URL) -> a vscode:// link, or null. */
function editorHref(file, line, column) {
  if (!file) return null;
  var path = file;
  if (path.indexOf('file://') === 0) { try { path = decodeURIComponent(path.slice(7)); } catch (e) { return null; } }
  if (!(path.charAt(0) === '/' || /^[A-Za-z]:[\\/]/.test(path))) return null;
  return 'vscode://file' + (path.charAt(0) === '/' ? '' : '/') + encodeURI(path).replace(/#/g, '%23').replace(/\?/g, '%3F') +
    (line ? ':' + line + (column ? ':' + column : '') : '');
}
function shortFile(file) {
  var parts = String(file).replace(/^file:\/\//, '').split(/[\\/]/);
  return parts.length <= 2 ? parts.join('/') : '…/' + parts.slice(-2).join('/');
}
function siteLink(file, line, column) {
  var text = shortFile(file) + (line ? ':' + line + (column ? ':' + column : '') : '');
  var href = editorHref(file, line, column);
  return href ? '<a class="mono" href="' + esc(href) + '" title="' + esc(file) + ' (opens in VS Code)">' + esc(text) + '</a>'
    : '<span class="mono" title="' + esc(file) + '">' + esc(text) + '</span>';
}
function isLibraryFile(file) {
  return !file || file.indexOf('node:') === 0 || file.indexOf('internal/') === 0 || /[\\/]node_modules[\\/]/.test(file);
}
/** The retainer path, root first: both ends shown, the middle folded behind a button, as the terminal does. */
function pathView(path, key) {
  if (!path || path.length === 0) return '<span class="muted">no retainer path recorded</span>';
  var open = !!state.unfolded[key], hops = [];
  var folded = !open && path.length > fold.head + fold.tail + 1;
  var arrow = '<span class="arrow" aria-hidden="true">→</span>';
  function hop(text, i) { return '<span class="hop' + (i === path.length - 1 ? ' last' : '') + '">' + esc(text) + '</span>'; }
  if (folded) {
    for (var i = 0; i < fold.head; i++) hops.push(hop(path[i], i));
    hops.push('<button class="fold" data-act="unfold" data-key="' + esc(key) + '" data-fid="unfold:' + esc(key) + '" aria-expanded="false" title="show every hop">… ' +
      (path.length - fold.head - fold.tail) + ' more …</button>');
    for (var j = path.length - fold.tail; j < path.length; j++) hops.push(hop(path[j], j));
  } else {
    path.forEach(function (p, k) { hops.push(hop(p, k)); });
    if (path.length > fold.head + fold.tail + 1) {
      hops.push('<button class="fold" data-act="unfold" data-key="' + esc(key) + '" data-fid="unfold:' + esc(key) + '" aria-expanded="true">fold</button>');
    }
  }
  return '<div class="path" aria-label="retainer path, ' + path.length + ' hops, from the GC root to the object">' + hops.join(arrow) + '</div>';
}
function kv(rows) {
  return '<dl class="kv">' + rows.filter(function (r) { return r && r[1] !== '' && r[1] != null; }).map(function (r) {
    return '<dt>' + esc(r[0]) + '</dt><dd>' + r[1] + '</dd>';
  }).join('') + '</dl>';
}
function section(id, title, body) { return '<section id="section-' + id + '"><h2>' + esc(title) + '</h2>' + body + '</section>'; }
function fact(value, label, cls) { return '<div class="fact"><b class="' + (cls || '') + '">' + value + '</b><span>' + esc(label) + '</span></div>'; }
function warningsView(list) {
  if (!list || list.length === 0) return '';
  return section('warnings', 'Warnings (' + list.length + ')', '<ul class="warnings">' + list.map(function (w) { return '<li>' + esc(w) + '</li>'; }).join('') + '</ul>');
}
function sortHeader(label, key, numeric, tableId) {
  var s = state.sort, aria = s && s.key === key ? (s.dir > 0 ? 'ascending' : 'descending') : 'none';
  return '<th class="sortable' + (numeric ? ' n' : '') + '" tabindex="0" role="columnheader" aria-sort="' + aria + '" data-act="sort" data-key="' + key +
    '" data-fid="sort:' + key + '" title="sort by ' + esc(label) + '">' + esc(label) + '</th>';
}
function expandRow(key, cells, detail, colspan) {
  var open = !!state.expanded[key];
  return '<tr class="row" tabindex="0" data-act="toggle" data-key="' + esc(key) + '" data-fid="toggle:' + esc(key) + '" aria-expanded="' + open + '">' + cells + '</tr>' +
    (open ? '<tr class="detail"><td colspan="' + colspan + '">' + detail() + '</td></tr>' : '');
}
function groupCell(text, className) {
  var t = String(text), c = String(className || '');
  if (c && t.indexOf(c) === 0 && t.length > c.length) return '<td class="cls"><b>' + esc(c) + '</b><span class="muted">' + esc(t.slice(c.length)) + '</span></td>';
  return '<td class="cls"><b>' + esc(t) + '</b></td>';
}

// ---- check / watch ----------------------------------------------------------------------------------
var verdictText = { leak: 'LEAK: something grows with every ', clean: 'CLEAN: nothing grows per ', inconclusive: 'INCONCLUSIVE: no verdict' };
function checkView() {
  var u = unitName(), out = [];
  var v = report.verdict || 'inconclusive';
  var req = report.requests || {}, st = req.byStatus || {};
  var facts = [fact(esc(String((report.findings || []).length)), 'findings', (report.findings || []).length ? 'bad' : 'ok'),
    fact(esc(fmtCount(req.measured)), 'measured ' + plural(u) + ' (+' + fmtCount(req.warmup) + ' warm-up)')];
  if (num(report.heapUsedBytesPerRequest)) facts.push(fact(esc(fmtRate(report.heapUsedBytesPerRequest) + ' B'), 'heapUsed per ' + u + ' (context only)'));
  if (report.timing) facts.push(fact(esc(fmtMs(report.timing.wallMs)), 'wall time'));
  out.push('<p class="lead ' + esc(v) + '">' + esc(v === 'inconclusive' ? verdictText.inconclusive : v === 'leak' ? verdictText.leak + u : verdictText.clean + u) + '</p>');
  if (report.reason) out.push('<p class="warn">reason: ' + esc(report.reason) + '</p>');
  out.push('<div class="facts">' + facts.join('') + '</div>');
  if (report.scenario) out.push(scenarioView(report.scenario));
  else if (st && (st['2xx'] != null)) {
    out.push('<p class="muted">responses: 2xx ' + fmtCount(st['2xx']) + ', 3xx ' + fmtCount(st['3xx']) + ', 4xx ' + fmtCount(st['4xx']) +
      ', 5xx ' + fmtCount(st['5xx']) + ', failed ' + fmtCount(st.failed) + '</p>');
  }
  if (report.comparison) out.push(comparisonSection(report.comparison, u));
  if (report.watch) out.push(watchSection(report.watch, u));
  out.push(findingsSection(u));
  out.push(memorySection(u));
  out.push(warningsView(report.warnings));
  out.push(parametersSection());
  return out.join('');
}
function scenarioView(sc) {
  var st = (report.requests || {}).byStatus || {}, h = sc.httpByStatus || {}, iterations = (st['2xx'] || 0) + (st.failed || 0);
  var rows = [['scenario', siteLink(sc.file, null, null)],
    ['iterations', esc('ok ' + fmtCount(st['2xx']) + ', failed ' + fmtCount(st.failed))],
    ['HTTP inside', sc.httpRequests ? esc(fmtCount(sc.httpRequests) + ' requests (' + fmtRate(sc.httpRequests / Math.max(iterations, 1)) + ' per iteration; 2xx ' + fmtCount(h['2xx']) +
      ', 3xx ' + fmtCount(h['3xx']) + ', 4xx ' + fmtCount(h['4xx']) + ', 5xx ' + fmtCount(h['5xx']) + ', failed ' + fmtCount(h.failed) + ')') : '<span class="muted">no HTTP requests through its fetch</span>']];
  if (sc.firstError) rows.push(['first failure', '<span class="warn">' + esc(sc.firstError.message) + '</span>' + (sc.firstError.file ? ' ' + siteLink(sc.firstError.file, sc.firstError.line, null) : '')]);
  return kv(rows);
}
/** check --baseline: what became of each finding of the baseline run, and new ones. */
function comparisonSection(c, u) {
  var s = c.summary || {}, result = String(c.result || '');
  var cls = result === 'pass' ? 'clean' : result === 'fail' ? 'leak' : 'inconclusive';
  var side = function (x) { return x ? '≈' + fmtRate(x.countPerRequest) + ' <span class="muted">(' + esc(fmtRate(x.bytesPerRequest)) + ' B)</span>' : '<span class="muted">–</span>'; };
  var rows = (c.entries || []).map(function (e) {
    var st = e.status === 'fixed' ? 'ok' : e.status === 'smaller' ? 'warn' : 'bad';
    return '<tr><td class="' + st + '"><b>' + esc(e.status) + '</b></td>' + groupCell(e.group, e.className) + '<td class="n">' + side(e.before) + '</td><td class="n">' + side(e.after) +
      '</td><td class="n">' + (num(e.ratio) ? esc(e.ratio.toFixed(2)) + '×' : '–') + '</td><td>' + esc(e.matchedBy || '–') + '</td></tr>';
  }).join('');
  return section('comparison', 'Against the baseline',
    '<p><span class="verdict ' + cls + '">' + esc(result.toUpperCase()) + '</span> baseline ' + siteLink(c.baseline, null, null) + ' (' + esc(c.baselineVerdict) + ' then, ' + esc(c.verdict) +
    ' now): ' + esc(fmtCount(s.fixed) + ' fixed, ' + fmtCount(s.smaller) + ' smaller, ' + fmtCount(s.stillLeaking) + ' still leaking, ' + fmtCount(s['new']) + ' new') + '</p>' +
    (rows ? '<table id="comparison"><thead><tr><th>status</th><th>group</th><th class="n">before / ' + esc(u) + '</th><th class="n">after / ' + esc(u) +
      '</th><th class="n">ratio</th><th>matched by</th></tr></thead><tbody>' + rows + '</tbody></table>' : ''));
}
/** watch: how it measured, what it cost the target, and what is rising now (the live page's main news). */
function watchSection(w, u) {
  var t = w.target || {}, rows = [];
  rows.push(['mode', esc(w.mode + (w.endedInMode && w.endedInMode !== w.mode ? ', ended in ' + w.endedInMode + ' mode' : ''))]);
  if (t.pid != null) rows.push(['target', esc('pid ' + t.pid + (t.nodeVersion ? ', Node ' + t.nodeVersion : '') + (t.inspector ? ', inspector ' + t.inspector : '') + (t.openedInspector ? ' (opened by watch)' : ''))]);
  if (w.endedBy) rows.push(['ended by', esc(w.endedBy)]);
  if (num(w.longestPauseMs)) rows.push(['longest pause', esc(fmtMs(w.longestPauseMs) + ' (GC + snapshot or reading a profile)')]);
  if (w.restored != null) rows.push(['restored', w.restored ? '<span class="ok">yes: nothing of ours is left in the target</span>' : '<span class="bad">no: see the warnings</span>']);
  (w.skippedSnapshots || []).forEach(function (x) { rows.push(['skipped snapshot', '<span class="warn">' + esc(x) + '</span>']); });
  var known = { mode: 1, endedInMode: 1, target: 1, endedBy: 1, longestPauseMs: 1, restored: 1, skippedSnapshots: 1, candidates: 1 };
  Object.keys(w).forEach(function (k) { if (!known[k]) rows.push([k, '<code>' + esc(compact(w[k])) + '</code>']); });
  var cands = w.candidates || [];
  var table = cands.length === 0 ? '<p class="muted">Nothing is rising now.</p>' :
    '<table id="candidates"><thead><tr><th>rising now</th><th class="n">objects / ' + esc(u) + '</th><th class="n">bytes / ' + esc(u) + '</th><th class="n">r²</th><th>trend</th><th>from</th></tr></thead><tbody>' +
    cands.map(function (c) {
      return '<tr><td class="cls">' + esc(c.name) + '</td><td class="n">' + (num(c.countPerRequest) ? '≈' + esc(fmtRate(c.countPerRequest)) : '–') + '</td><td class="n">' + esc(fmtRate(c.bytesPerRequest)) +
        ' B</td><td class="n">' + (num(c.fitR2) ? c.fitR2.toFixed(3) : '–') + '</td><td title="' + esc((c.values || []).map(fmtCount).join(' → ')) + '">' + sparkline(c.values || []) + '</td><td>' + esc(c.source || '') + '</td></tr>';
    }).join('') + '</tbody></table>';
  return section('watch', 'Watch', kv(rows) + '<h3>Rising now (' + cands.length + ')</h3>' + table);
}
/** Any object as a key/value list (for sections whose shape this page does not know field by field). */
function detailsKv(o) {
  return kv(Object.keys(o).map(function (k) {
    var v = o[k];
    return [k, v !== null && typeof v === 'object' ? '<code>' + esc(compact(v)) + '</code>' : esc(String(v))];
  }));
}
function checkpointX(c, i) { return num(c.requests) ? c.requests : num(c.x) ? c.x : i; }
function memorySection(u) {
  var cps = report.checkpoints || [];
  if (cps.length === 0) return section('memory', 'Memory after GC', '<p class="muted">no checkpoint was taken</p>');
  var xs = cps.map(checkpointX);
  var defs = [['heapUsedBytes', 'heapUsed', 's1'], ['externalBytes', 'external', 's2'], ['rssBytes', 'RSS', 's3']];
  var charts = defs.map(function (d) {
    var ys = cps.map(function (c) { return c[d[0]]; });
    var f = fit(xs, ys);
    return '<div class="chart" id="mem-' + d[0] + '"><h3>' + esc(d[1]) + (f ? ' <span class="muted">' + esc(signed(f.slope, function (b) { return b >= 1024 ? fmtBytes(b) : fmtRate(b) + ' B'; })) + '/' + esc(u) + '</span>' : '') + '</h3>' +
      lineChart({ xs: xs, series: [{ ys: ys, cls: d[2], label: d[1] }], fitLine: null, bytes: true, xLabel: plural(u), label: d[1] + ' after GC against ' + plural(u) }) + '</div>';
  });
  var handles = cps.some(function (c) { return c.activeResources; });
  var rows = cps.map(function (c, i) {
    return '<tr><td class="n">' + fmtCount(xs[i]) + '</td><td class="n">' + fmtBytes(c.heapUsedBytes) + '</td><td class="n">' + fmtBytes(c.externalBytes) +
      '</td><td class="n">' + fmtBytes(c.arrayBuffersBytes) + '</td><td class="n">' + fmtBytes(c.rssBytes) + '</td><td class="n">' + fmtBytes(c.snapshotBytes) +
      '</td><td class="n">' + fmtMs(c.overheadMs) + '</td>' + (handles ? '<td>' + resourcesCell(c.activeResources) + '</td>' : '') + '</tr>';
  }).join('');
  return section('memory', 'Memory after GC, by ' + u + ' count',
    '<div class="charts">' + charts.join('') + '</div>' +
    '<table id="checkpoints"><thead><tr><th class="n">' + esc(plural(u)) + '</th><th class="n">heapUsed</th><th class="n">external</th><th class="n">arrayBuffers</th><th class="n">RSS</th><th class="n">snapshot</th><th class="n">GC + snapshot</th>' + (handles ? '<th>live handles</th>' : '') + '</tr></thead><tbody>' + rows + '</tbody></table>');
}
/** process.getActiveResourcesInfo() by type: the total, with the types in a tooltip and a short list. */
function resourcesCell(r) {
  if (!r) return '<span class="muted">–</span>';
  var keys = Object.keys(r).sort(function (a, b) { return r[b] - r[a]; }), total = 0;
  keys.forEach(function (k) { total += r[k]; });
  var list = keys.map(function (k) { return k + ' ' + fmtCount(r[k]); }).join(', ');
  return '<span title="' + esc(list) + '">' + fmtCount(total) + ' <span class="muted">(' + esc(keys.slice(0, 3).map(function (k) { return k + ' ' + fmtCount(r[k]); }).join(', ') + (keys.length > 3 ? ', …' : '')) + ')</span></span>';
}
function findingKey(f, i) { return 'f:' + (f.group || f.className || i); }
function growthChart(f, u, small) {
  var ev = f.evidence || {}, xs = ev.requests || [], ys = ev.counts || [];
  if (!xs.length || !ys.length) return '';
  var ft = fit(xs, ys);
  return lineChart({ xs: xs, series: [{ ys: ys, cls: 's2', label: 'live ' + f.className }], fitLine: ft, bytes: false, xLabel: plural(u),
    w: small ? 320 : 420, h: small ? 140 : 170, label: 'live count of ' + f.group + ' at each checkpoint, with the fitted line' });
}
function findingsSection(u) {
  var fs = report.findings || [];
  if (fs.length === 0) return section('findings', 'Findings', '<p class="ok">Nothing grows per ' + esc(u) + '.</p>');
  var charts = fs.map(function (f, i) {
    var c = growthChart(f, u, true);
    if (!c) return '';
    return '<div class="chart clickable" tabindex="0" role="button" data-act="goto" data-key="' + esc(findingKey(f, i)) + '" title="show this finding"><h3>' + (i + 1) + '. ' + esc(f.group) +
      ' <span class="muted">' + (f.countPerRequest ? '≈' + esc(fmtRate(f.countPerRequest)) : esc(fmtRate(f.bytesPerRequest)) + ' B') + '/' + esc(u) + '</span></h3>' + c +
      '<div class="legend"><span><i style="background:var(--c2)"></i>live count at each checkpoint</span><span><i style="background:var(--muted)"></i>fitted line</span></div></div>';
  }).join('');
  var rows = fs.map(function (f, i) {
    var key = findingKey(f, i);
    var cells = '<td class="n">' + (i + 1) + '</td>' + groupCell(f.group, f.className) + '<td class="n">' + (f.countPerRequest ? '≈' + esc(fmtRate(f.countPerRequest)) : '–') + '</td><td class="n">' +
      esc(fmtRate(f.bytesPerRequest)) + ' B</td><td class="n">' + (num(f.fitR2) ? f.fitR2.toFixed(3) : '–') + '</td><td><span class="tag">' + esc(f.kind) + '</span></td>';
    return expandRow(key, cells, function () { return findingDetail(f, u, key); }, 6);
  }).join('');
  return section('findings', 'What grows per ' + u + ' (' + fs.length + ')',
    (charts ? '<div class="charts" id="growth-charts">' + charts + '</div>' : '') +
    '<p class="muted">Click a row (or focus it and press <kbd>Enter</kbd>) for its retainer path, holder, creation stack and advice; <kbd>↑</kbd> <kbd>↓</kbd> move between rows.</p>' +
    '<table id="findings"><thead><tr><th class="n">#</th><th>group (class via holder)</th><th class="n">objects / ' + esc(u) + '</th><th class="n">bytes / ' + esc(u) +
    '</th><th class="n">r²</th><th>kind</th></tr></thead><tbody>' + rows + '</tbody></table>');
}
/** An exact allocation stack names the line; a sampled site joined by class name, or a static search, is a good guess. */
function foundByNote(site) {
  if (!site || site.foundBy == null || site.foundBy === 'allocation-stack') return '';
  return ' <span class="probably" title="found by ' + esc(site.foundBy) + ', not from this object\'s own allocation stack">probably</span>';
}
function findingDetail(f, u, key) {
  var ev = f.evidence || {}, rows = [];
  if (f.kind && f.kind !== 'per-request-growth') rows.push(['kind', esc(f.kind)]);
  (ev.summary || []).forEach(function (line) { rows.push(['proof', esc(line)]); });
  if (f.holder) {
    rows.push(['held by', esc(f.holder.description) + (f.holder.file ? ' (' + siteLink(f.holder.file, f.holder.line, null) + ')' : '')]);
  }
  rows.push(['path', pathView(f.retainerPath, 'p:' + key)]);
  var site = f.creationSite;
  if (site) rows.push(['created', foundByNote(site) + ' <code>' + esc(site.functionName || '(anonymous)') + '</code> ' + siteLink(site.file, site.line, site.column)]);
  else rows.push(['created', '<span class="muted">not known (no allocation stack joined this group)</span>']);
  var stack = f.creationStack || [];
  if (stack.length > 0) {
    var lib = stack.filter(function (fr) { return isLibraryFile(fr.file); }).length;
    rows.push(['stack', '<details><summary>' + stack.length + ' frames' + (lib ? ' (' + lib + ' in libraries or Node)' : '') + '</summary><ol class="stack">' +
      stack.map(function (fr) {
        return '<li' + (isLibraryFile(fr.file) ? ' class="lib"' : '') + '><code>' + esc(fr.functionName || '(anonymous)') + '</code> ' +
          (fr.file ? siteLink(fr.file, fr.line, fr.column) : '<span class="muted">V8</span>') + '</li>';
      }).join('') + '</ol></details>']);
  }
  var sites = f.creationSites || [];
  if (sites.length > 1) {
    rows.push(['sites', sites.map(function (s) { return siteLink(s.site.file, s.site.line, s.site.column) + ' <span class="muted">' + Math.round(s.share * 100) + '%</span>'; }).join(', ')]);
  }
  if (ev.counts && ev.counts.length) rows.push(['counts', esc(ev.counts.map(fmtCount).join(' → '))]);
  if (ev.retainedBytes && ev.retainedBytes.length) rows.push(['retained', esc(ev.retainedBytes.map(fmtBytes).join(' → '))]);
  if (ev.alsoGrowing && ev.alsoGrowing.length) {
    rows.push(['with', ev.alsoGrowing.map(function (g) { return esc(g.group) + ' <span class="muted">(≈' + esc(fmtRate(g.countPerRequest)) + '/' + esc(u) + ')</span>'; }).join('<br>')]);
  }
  rows.push(['advice', '<b>' + esc(f.advice) + '</b>']);
  var known = { summary: 1, counts: 1, retainedBytes: 1, requests: 1, alsoGrowing: 1 };
  var other = Object.keys(ev).filter(function (k) { return !known[k]; });
  if (other.length) {
    rows.push(['evidence', '<details><summary>' + other.length + ' more fields</summary>' + kv(other.map(function (k) { return [k, '<code>' + esc(compact(ev[k])) + '</code>']; })) + '</details>']);
  }
  return '<div class="finding-detail">' + kv(rows) + '</div>';
}
function compact(v) {
  var s = typeof v === 'string' ? v : JSON.stringify(v);
  return s && s.length > 400 ? s.slice(0, 399) + '…' : String(s);
}
function parametersSection() {
  var rows = [];
  var th = report.thresholds || {};
  var body = '<table id="thresholds"><thead><tr><th>threshold or run size</th><th>value</th></tr></thead><tbody>' + Object.keys(th).map(function (k) {
    var v = th[k];
    return '<tr><td class="mono">' + esc(k) + '</td><td class="mono">' + esc(v === '' ? '-' : String(v)) + '</td></tr>';
  }).join('') + '</tbody></table>';
  if (report.server) {
    rows.push(['server', '<code>' + esc((report.server.command || []).join(' ')) + '</code>']);
    if (report.server.baseUrl) rows.push(['base URL', esc(report.server.baseUrl)]);
    if (report.server.pid != null) rows.push(['pid', esc(report.server.pid)]);
  }
  if (report.timing) {
    var t = report.timing;
    rows.push(['time', esc(fmtMs(t.wallMs) + ' wall; GC + snapshots ' + fmtMs(t.snapshotOverheadMs) + ', load ' + fmtMs(t.loadMs) + ', analysis ' + fmtMs(t.analysisMs))]);
  }
  if (report.snapshots) {
    rows.push(['snapshots', report.snapshots.kept ? esc(report.snapshots.files.length + ' kept in ' + report.snapshots.directory) : '<span class="muted">deleted after the run</span>']);
  }
  rows.push(['tool', esc((report.tool ? report.tool.name + ' ' + report.tool.version : 'leakfinder') + ', report schemaVersion ' + report.schemaVersion)]);
  return section('parameters', 'Run parameters and thresholds', kv(rows) + body);
}

// ---- analyze / diff ---------------------------------------------------------------------------------
function analysisView() {
  var out = [], files = report.files || [], last = files[files.length - 1] || {};
  var isDiff = report.command === 'diff', multi = isDiff || files.length > 1;
  var facts = [fact(esc(String(files.length)), files.length === 1 ? 'file' : 'files')];
  if (report.command === 'analyze' && files.length > 1) facts.push(fact(esc(String(report.growth.length)), 'classes growing at every step', report.growth.length ? 'bad' : 'ok'));
  facts.push(fact(esc(fmtCount(last.nodeCount)), 'objects' + (multi ? ' (last file)' : '')));
  facts.push(fact(esc(fmtBytes(last.heapBytes)), 'heap' + (multi ? ' (last file)' : '')));
  facts.push(fact(esc(fmtCount((report.classes || []).length)), 'classes in the table'));
  out.push('<div class="facts">' + facts.join('') + '</div>');
  out.push(section('files', 'Snapshots', '<table id="files"><thead><tr><th>#</th><th>file</th><th class="n">size</th><th class="n">objects</th><th class="n">references</th><th class="n">heap</th></tr></thead><tbody>' +
    files.map(function (f, i) {
      return '<tr><td>' + (isDiff ? (i === 0 ? 'before' : 'after') : i + 1) + '</td><td class="mono" title="' + esc(f.path) + '">' + esc(shortFile(f.path)) + '</td><td class="n">' + fmtBytes(f.fileBytes) +
        '</td><td class="n">' + fmtCount(f.nodeCount) + '</td><td class="n">' + fmtCount(f.edgeCount) + '</td><td class="n">' + fmtBytes(f.heapBytes) + '</td></tr>';
    }).join('') + '</tbody></table>'));
  if (report.command === 'analyze' && files.length > 1) out.push(growthSection());
  out.push(classesSection(isDiff, multi));
  if (isDiff && report.newObjects) out.push(newObjectsSection());
  out.push(warningsView(report.warnings));
  return out.join('');
}
function growthSection() {
  var g = report.growth || [];
  if (g.length === 0) return section('growth', 'Growing at every step', '<p class="ok">Nothing grows at every step.</p>');
  var rows = g.map(function (e, i) {
    var key = 'g:' + e.key;
    var cells = '<td class="cls"><b>' + esc(e.className) + '</b></td><td class="mono">' + esc(e.counts.map(fmtCount).join(' → ')) + '</td><td>' + sparkline(e.counts) +
      '</td><td class="mono">' + esc(e.retainedBytes.map(fmtBytes).join(' → ')) + '</td>';
    return expandRow(key, cells, function () {
      return kv([['path', pathView(e.retainerPath, 'p:' + key)], ['created', e.creationSite ? '<code>' + esc(e.creationSite.functionName || '(anonymous)') + '</code> ' +
        siteLink(e.creationSite.file, e.creationSite.line, e.creationSite.column) : '<span class="muted">not recorded (snapshots taken without --track-heap-objects)</span>'], ['key', '<code>' + esc(e.key) + '</code>']]);
    }, 4);
  }).join('');
  return section('growth', 'Growing at every step (' + g.length + ')', '<table id="growth"><thead><tr><th>class</th><th>count</th><th>trend</th><th>retained</th></tr></thead><tbody>' + rows + '</tbody></table>');
}
function classColumns(isDiff, multi) {
  var cols = [['className', 'class', false], ['count', 'count', true], ['selfBytes', 'self', true], ['retainedBytes', 'retained', true]];
  if (multi) cols.push(['countDelta', 'Δcount', true], ['retainedBytesDelta', 'Δretained', true]);
  if (report.matchedByObjectId === true) cols.push(['addedCount', 'new', true], ['removedCount', 'gone', true]);
  return cols;
}
function filteredSorted() {
  var s = state.sort, f = state.filter.toLowerCase();
  var cacheKey = (s ? s.key + s.dir : '') + '|' + f;
  if (sortedCache && sortedCache.key === cacheKey && sortedCache.source === report.classes) return sortedCache.rows;
  var rows = report.classes.map(function (c, i) { return { c: c, i: i }; });
  if (f) rows = rows.filter(function (r) { return r.c.className.toLowerCase().indexOf(f) !== -1; });
  if (s) {
    rows.sort(function (a, b) {
      var x = a.c[s.key], y = b.c[s.key];
      var d = s.key === 'className' ? String(x).localeCompare(String(y)) : (num(x) ? x : 0) - (num(y) ? y : 0);
      return d * s.dir || a.i - b.i;
    });
  }
  sortedCache = { key: cacheKey, source: report.classes, rows: rows };
  return rows;
}
function classesTable() {
  var files = report.files || [], isDiff = report.command === 'diff', multi = isDiff || files.length > 1;
  var cols = classColumns(isDiff, multi), rows = filteredSorted(), total = report.classes.length;
  var pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
  if (state.page >= pages) state.page = pages - 1;
  var start = state.page * state.pageSize, shown = rows.slice(start, start + state.pageSize);
  var body = shown.map(function (r) {
    var c = r.c, key = 'c:' + r.i;
    var cells = cols.map(function (col) {
      var v = c[col[0]];
      if (col[0] === 'className') return '<td class="cls"><b>' + esc(v) + '</b></td>';
      if (col[0] === 'count') return '<td class="n">' + fmtCount(v) + '</td>';
      if (col[0] === 'countDelta') return '<td class="n ' + deltaClass(v) + '">' + signed(v, fmtCount) + '</td>';
      if (col[0] === 'retainedBytesDelta') return '<td class="n ' + deltaClass(v) + '">' + signed(v, fmtBytes) + '</td>';
      if (col[0] === 'addedCount') return v ? '<td class="n plus">+' + fmtCount(v) + '</td>' : '<td class="n">0</td>';
      if (col[0] === 'removedCount') return v ? '<td class="n minus">-' + fmtCount(v) + '</td>' : '<td class="n">0</td>';
      return '<td class="n">' + fmtBytes(v) + '</td>';
    }).join('');
    return expandRow(key, cells, function () {
      var extra = [['path', pathView(c.retainerPath, 'p:' + key)], ['key', '<code>' + esc(c.key) + '</code>']];
      if (num(c.selfBytesDelta)) extra.push(['Δself', esc(signed(c.selfBytesDelta, fmtBytes))]);
      return kv(extra);
    }, cols.length);
  }).join('');
  var pager = '<div class="pager" role="navigation" aria-label="pages"><button data-act="page" data-key="-1" data-fid="page:-1"' + (state.page === 0 ? ' disabled' : '') + '>← previous</button>' +
    '<span id="page-info">rows ' + fmtCount(rows.length ? start + 1 : 0) + '–' + fmtCount(start + shown.length) + ' of ' + fmtCount(rows.length) +
    (rows.length !== total ? ' (filtered from ' + fmtCount(total) + ')' : '') + ', page ' + (state.page + 1) + ' of ' + pages + '</span>' +
    '<button data-act="page" data-key="1" data-fid="page:1"' + (state.page >= pages - 1 ? ' disabled' : '') + '>next →</button></div>';
  return pager + '<table id="classes"><thead><tr>' + cols.map(function (col) { return sortHeader(col[1], col[0], col[2]); }).join('') + '</tr></thead><tbody>' + body + '</tbody></table>';
}
function classesSection(isDiff, multi) {
  var title = isDiff ? 'Classes that changed (after vs before)' : multi ? 'Classes in the last file' : 'Classes by retained size';
  return section('class-table', title + ' (' + fmtCount(report.classes.length) + ')',
    '<div class="toolbar"><label for="filter">Filter classes</label><input id="filter" type="search" placeholder="class name contains… (press /)" value="' + esc(state.filter) +
    '" autocomplete="off"><span class="muted">Click a column to sort; a row for its retainer path.</span></div><div id="classes-wrap">' + classesTable() + '</div>');
}
function newObjectsSection() {
  var groups = report.newObjects || [];
  if (groups.length === 0) return section('new-objects', 'New objects by holder', '<p class="muted">No new objects (or the files are from different processes).</p>');
  var rows = groups.map(function (g, i) {
    var key = 'n:' + i;
    return expandRow(key, '<td class="n">' + fmtCount(g.count) + '</td>' + groupCell(g.group, g.className) + '<td class="n">' + fmtBytes(g.selfBytes) + '</td>',
      function () { return kv([['path', pathView(g.retainerPath, 'p:' + key)]]); }, 3);
  }).join('');
  return section('new-objects', 'New objects, grouped by who holds them (' + groups.length + ')',
    '<table id="new-objects"><thead><tr><th class="n">new</th><th>group (class via holder)</th><th class="n">self</th></tr></thead><tbody>' + rows + '</tbody></table>');
}

// ---- page -----------------------------------------------------------------------------------------------
function render() {
  var active = doc.activeElement, fid = active && active.getAttribute ? active.getAttribute('data-fid') : null;
  var isCheck = report.command === 'check' || report.command === 'watch';
  var verdict = isCheck ? report.verdict : report.command === 'analyze' && (report.files || []).length > 1 ? (report.growth.length ? 'found' : 'clean') : 'info';
  doc.getElementById('verdict').className = 'verdict ' + verdict;
  // A live page (watch --ui) has no verdict while it is still measuring.
  var measuring = isCheck && options.live && report.verdict === 'inconclusive';
  doc.getElementById('verdict').textContent = measuring ? 'MEASURING' : isCheck ? String(report.verdict).toUpperCase() : verdict === 'found' ? 'GROWTH' : verdict === 'clean' ? 'NO GROWTH' : report.command.toUpperCase();
  app.innerHTML = (isCheck ? checkView() : analysisView()) +
    '<footer>Written by ' + esc(report.tool ? report.tool.name + ' ' + report.tool.version : 'leakfinder') +
    '. Keys: <kbd>Tab</kbd> moves, <kbd>Enter</kbd> opens a row, <kbd>↑</kbd>/<kbd>↓</kbd> next row, <kbd>/</kbd> filter, <kbd>t</kbd> theme.' +
    ' No string values from the heap are shown unless the report was made with --show-values.</footer>';
  if (fid) { var again = app.querySelector('[data-fid="' + cssEscape(fid) + '"]'); if (again) again.focus(); }
}
function renderClasses() {
  var wrap = doc.getElementById('classes-wrap');
  if (wrap) wrap.innerHTML = classesTable();
}
function cssEscape(s) { return String(s).replace(/["\\]/g, '\\$&'); }
function act(el) {
  var a = el.getAttribute('data-act'), key = el.getAttribute('data-key');
  if (a === 'toggle') { state.expanded[key] = !state.expanded[key]; rerender(el); }
  else if (a === 'unfold') { state.unfolded[key] = !state.unfolded[key]; rerender(el); }
  else if (a === 'sort') {
    var s = state.sort, numeric = key !== 'className';
    state.sort = s && s.key === key ? { key: key, dir: -s.dir } : { key: key, dir: numeric ? -1 : 1 };
    state.page = 0; renderClasses(); focusFid('sort:' + key);
  } else if (a === 'page') { state.page += Number(key); renderClasses(); focusFid('page:' + key); }
  else if (a === 'goto') {
    state.expanded[key] = true; render();
    var row = app.querySelector('tr.row[data-key="' + cssEscape(key) + '"]');
    if (row) { row.focus(); row.scrollIntoView({ block: 'start' }); }
  }
}
function focusFid(fid) { var el = app.querySelector('[data-fid="' + cssEscape(fid) + '"]'); if (el && !el.disabled) el.focus(); }
/** Redraws only the classes table when the click was in it (10,000 rows stay cheap), else the page. */
function rerender(el) {
  if (el.closest('#classes-wrap')) { renderClasses(); focusFid(el.getAttribute('data-fid')); } else render();
}
app.addEventListener('click', function (e) {
  if (e.target.closest('a, summary, input')) return;
  var el = e.target.closest('[data-act]');
  if (el && app.contains(el)) act(el);
});
app.addEventListener('keydown', function (e) {
  var el = e.target;
  if (el.tagName === 'INPUT') { if (e.key === 'Escape') { el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true })); } return; }
  var a = el.getAttribute && el.getAttribute('data-act');
  if ((e.key === 'Enter' || e.key === ' ') && a && el.tagName !== 'BUTTON' && el.tagName !== 'A') { e.preventDefault(); act(el); return; }
  if (el.classList && el.classList.contains('row') && (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'j' || e.key === 'k')) {
    e.preventDefault();
    var rows = Array.prototype.slice.call(el.parentNode.querySelectorAll(':scope > tr.row'));
    var i = rows.indexOf(el) + (e.key === 'ArrowDown' || e.key === 'j' ? 1 : -1);
    if (rows[i]) rows[i].focus();
  }
});
app.addEventListener('input', function (e) {
  if (e.target.id !== 'filter') return;
  state.filter = e.target.value; state.page = 0; renderClasses();
});
doc.addEventListener('keydown', function (e) {
  var tag = e.target && e.target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/') { var f = doc.getElementById('filter'); if (f) { e.preventDefault(); f.focus(); } }
  else if (e.key === 't') toggleTheme();
});

// ---- theme: the reader's choice, else the system's ------------------------------------------------------
function currentTheme() {
  var set = doc.documentElement.getAttribute('data-theme');
  if (set) return set;
  return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
function toggleTheme() {
  var next = currentTheme() === 'dark' ? 'light' : 'dark';
  doc.documentElement.setAttribute('data-theme', next);
  try { localStorage.setItem('leakfinder-theme', next); } catch (e) { /* file:// storage may be off */ }
  updateThemeButton();
}
function updateThemeButton() {
  var b = doc.getElementById('theme'), t = currentTheme();
  b.textContent = t === 'dark' ? '☀ light theme' : '☾ dark theme';
  b.setAttribute('aria-label', 'switch to the ' + (t === 'dark' ? 'light' : 'dark') + ' theme (t)');
}
try { var saved = localStorage.getItem('leakfinder-theme'); if (saved === 'dark' || saved === 'light') doc.documentElement.setAttribute('data-theme', saved); } catch (e) { /* ignore */ }
doc.getElementById('theme').addEventListener('click', toggleTheme);
// The system's scheme can change while the page is open (an OS switching at sunset): the button follows it.
if (window.matchMedia) {
  var scheme = window.matchMedia('(prefers-color-scheme: dark)');
  if (scheme.addEventListener) scheme.addEventListener('change', updateThemeButton);
}
updateThemeButton();

// ---- live mode: the watch --ui page polls the report and redraws in place ----------------------------------
function setLive(text, down) {
  var el = doc.getElementById('live');
  el.textContent = text; el.className = 'live' + (down ? ' down' : '');
}
if (options.live && options.live.reportUrl) {
  var interval = Math.max(250, Number(options.live.intervalMs) || 2000), busy = false;
  setLive('live: updates every ' + fmtMs(interval), false);
  setInterval(function () {
    if (busy) return;
    busy = true;
    fetch(options.live.reportUrl, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (next) {
        report = next; sortedCache = null; render();
        setLive('live: updated ' + new Date().toLocaleTimeString(), false);
      })
      .catch(function (err) { setLive('live: no answer from the server (' + (err && err.message ? err.message : err) + '); retrying', true); })
      .then(function () { busy = false; });
  }, interval);
}

render();
doc.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now())));
})();
`;
