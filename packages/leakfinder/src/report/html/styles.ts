/**
 * The HTML report's stylesheet, inlined into every file (no CDN, no fonts to fetch). Colours are CSS
 * variables: the light set by default, the dark one under `prefers-color-scheme: dark`, and either one
 * forced by `data-theme` on <html> when the reader toggles it.
 */
export const reportCss = String.raw`
:root{--bg:#fff;--fg:#1d2230;--muted:#5d6578;--line:#d9dde6;--panel:#f5f7fa;--accent:#2456c7;--bad:#c3312c;--ok:#1f7a3c;--warn:#9a6400;
--c1:#2456c7;--c2:#c3312c;--c3:#1f7a3c;--hl:#fff4c2;--code:#eef1f6;color-scheme:light}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#14171f;--fg:#e4e7ee;--muted:#9aa3b5;--line:#2c3240;--panel:#1b1f29;
--accent:#7aa5ff;--bad:#ff7b72;--ok:#5fd08a;--warn:#e3b341;--c1:#7aa5ff;--c2:#ff7b72;--c3:#5fd08a;--hl:#3a3520;--code:#222837;color-scheme:dark}}
:root[data-theme=dark]{--bg:#14171f;--fg:#e4e7ee;--muted:#9aa3b5;--line:#2c3240;--panel:#1b1f29;--accent:#7aa5ff;--bad:#ff7b72;--ok:#5fd08a;
--warn:#e3b341;--c1:#7aa5ff;--c2:#ff7b72;--c3:#5fd08a;--hl:#3a3520;--code:#222837;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px 20px 48px}
header.top{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;border-bottom:1px solid var(--line);padding:12px 20px;background:var(--panel)}
header.top h1{font-size:18px;margin:0;flex:1 1 auto}
h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:12px 0 6px}
a{color:var(--accent)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
code{background:var(--code);padding:1px 4px;border-radius:3px}
.verdict{font-weight:700;padding:2px 10px;border-radius:12px;border:2px solid currentColor;white-space:nowrap}
.verdict.leak,.verdict.found{color:var(--bad)}.verdict.clean{color:var(--ok)}.verdict.inconclusive{color:var(--warn)}.verdict.info{color:var(--accent)}
.lead{font-size:15px;font-weight:600;margin:4px 0}.lead.leak{color:var(--bad)}.lead.clean{color:var(--ok)}.lead.inconclusive{color:var(--warn)}
.live{font-size:12px;color:var(--muted)}.live.down{color:var(--bad)}
button{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:3px 10px;cursor:pointer}
button:hover{border-color:var(--accent)}
:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:9}
.muted{color:var(--muted)}.bad{color:var(--bad)}.ok{color:var(--ok)}.warn{color:var(--warn)}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;margin:12px 0}
.fact{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.fact b{display:block;font-size:18px}.fact span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12.5px;white-space:nowrap;background:var(--bg);position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.sortable{cursor:pointer;user-select:none}th.sortable:hover{color:var(--fg)}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
tr.row{cursor:pointer}tr.row:hover,tr.row:focus{background:var(--panel)}tr.row:focus{outline:2px solid var(--accent);outline-offset:-2px}
tr.row td:first-child::before{content:"\25B8 ";color:var(--muted)}tr.row[aria-expanded=true] td:first-child::before{content:"\25BE "}
tr.detail>td{background:var(--panel);padding:8px 14px 12px}
.cls{word-break:break-word}
.path{display:flex;flex-wrap:wrap;gap:2px 0;align-items:baseline;margin:4px 0}
.path .hop{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:var(--code);border-radius:3px;padding:1px 5px}
.path .hop.last{background:var(--hl);font-weight:600}
.path .arrow{color:var(--muted);padding:0 4px}
.path button.fold{font-size:12px;padding:0 6px;border-style:dashed}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:6px 0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;min-width:0;word-break:break-word}
ol.stack{margin:2px 0;padding-left:22px}ol.stack li.lib{color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.chart{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px}
.chart h3{margin:0 0 4px;font-size:12.5px;font-weight:600;word-break:break-word}
.chart.clickable{cursor:pointer}.chart.clickable:hover{border-color:var(--accent)}
svg{display:block;width:100%;height:auto;overflow:visible}
svg text{fill:var(--muted);font-size:10px;font-family:system-ui,sans-serif}
svg .grid{stroke:var(--line);stroke-width:1}
svg .s1{stroke:var(--c1)}svg .s2{stroke:var(--c2)}svg .s3{stroke:var(--c3)}
svg .f1{fill:var(--c1)}svg .f2{fill:var(--c2)}svg .f3{fill:var(--c3)}
svg .line{fill:none;stroke-width:2}svg .fit{fill:none;stroke-width:1.5;stroke-dasharray:5 4;stroke:var(--fg);opacity:.55}
.legend{display:flex;gap:14px;font-size:12px;color:var(--muted);margin:2px 0 0}
.legend i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.toolbar input{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:4px 8px;min-width:260px}
.pager{display:flex;gap:6px;align-items:center;margin:6px 0;color:var(--muted)}
ul.warnings{padding-left:20px}ul.warnings li{color:var(--warn);margin:3px 0}
.spark{width:90px;height:22px;display:inline-block;vertical-align:middle}
.tag{display:inline-block;font-size:11.5px;border:1px solid var(--line);border-radius:10px;padding:0 7px;color:var(--muted);white-space:nowrap}
.probably{font-style:italic;color:var(--warn)}
.plus{color:var(--bad)}.minus{color:var(--ok)}
kbd{font-family:ui-monospace,monospace;font-size:11.5px;border:1px solid var(--line);border-bottom-width:2px;border-radius:3px;padding:0 4px}
footer{color:var(--muted);font-size:12px;margin-top:32px}
@media print{header.top button,.toolbar,.pager{display:none}tr.detail>td{background:none}}
`;
