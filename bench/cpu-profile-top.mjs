#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function (with file:line), top N.
//   node bench/cpu-profile-top.mjs /tmp/prof/CPU.*.cpuprofile [N]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [file, limitText] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpu-profile-top.mjs PROFILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
// timeDeltas[i] is the time before sample i; charge it to the sampled node (self time).
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
  selfUs.set(key, (selfUs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(limitText ?? 25));
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
for (const [key, us] of rows) console.log(`${(us / 1e3).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
