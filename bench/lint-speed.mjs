// Times `leakfinder lint` on ~100,000 lines of generated server code (express, fastify, koa, NestJS, node:http;
// JS and TS) plus copies of the lint corpus. Goal: under 5 s per 100,000 lines.
// Usage: npm run build && node bench/lint-speed.mjs [--lines 100000] [--keep]
// The code is written to bench/out/lint-speed/ (git-ignored); a baseline run of ESLint with one trivial core rule on
// the same files shows what parsing and ESLint's own traversal cost, so the difference is our rules and CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out', 'lint-speed');
const argLines = process.argv.indexOf('--lines');
const targetLines = argLines === -1 ? 100_000 : Number(process.argv[argLines + 1]);

function expressModule(i) {
  const lines = [`import express from 'express';`, `import { db } from '../db.js';`, '', `const router = express.Router();`,
    `const recent${i} = [];`, `const MAX_RECENT = 50;`, ''];
  lines.push(`function validate${i}(body) {`, `  const errors = [];`, `  if (typeof body.name !== 'string') errors.push('name');`,
    `  if (body.name && body.name.length > 200) errors.push('name too long');`, `  if (!Number.isInteger(body.qty)) errors.push('qty');`,
    `  return errors;`, `}`, '');
  for (let r = 0; r < 6; r++) {
    lines.push(`router.${['get', 'post', 'put', 'delete', 'get', 'patch'][r]}('/items${i}/${r}/:id', async (req, res, next) => {`,
      `  try {`, `    const errors = validate${i}(req.body ?? {});`, `    if (errors.length > 0) return res.status(400).json({ errors });`,
      `    const item = await db.items.find({ id: req.params.id, tenant: req.headers['x-tenant'] });`,
      `    if (!item) return res.sendStatus(404);`, `    recent${i}.push(item.id);`, `    if (recent${i}.length > MAX_RECENT) recent${i}.shift();`,
      `    res.json({ ...item, fetchedAt: Date.now() });`, `  } catch (error) {`, `    next(error);`, `  }`, `});`, '');
  }
  lines.push('export default router;', '');
  return lines.join('\n');
}

function fastifyModule(i) {
  const lines = [`import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';`, '',
    `interface Params${i} { id: string }`, `interface Body${i} { name: string; tags?: string[] }`, '',
    `const pool = createPool({ max: 10 });`, '',
    `export default async function routes${i}(fastify: FastifyInstance): Promise<void> {`];
  for (let r = 0; r < 6; r++) {
    lines.push(`  fastify.get<{ Params: Params${i} }>('/things${i}/${r}/:id', async (request, reply) => {`,
      `    const started = performance.now();`, `    const { rows } = await pool.query('select * from t${r} where id = $1', [request.params.id]);`,
      `    if (rows.length === 0) {`, `      return reply.code(404).send({ error: 'not found' });`, `    }`,
      `    request.log.info({ ms: performance.now() - started }, 'query');`, `    return rows[0] as Body${i};`, `  });`, '');
  }
  lines.push(`  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {`,
    `    if (!request.headers.authorization) await reply.code(401).send();`, `  });`, `}`, '');
  return lines.join('\n');
}

function koaModule(i) {
  const lines = [`import Koa from 'koa';`, `import Router from '@koa/router';`, '', `const app = new Koa();`, `const router = new Router();`,
    `const stats${i} = { requests: 0, errors: 0 };`, ''];
  lines.push(`app.use(async (ctx, next) => {`, `  stats${i}.requests++;`, `  try {`, `    await next();`, `  } catch (err) {`,
    `    stats${i}.errors++;`, `    ctx.status = err.status ?? 500;`, `    ctx.body = { error: err.message };`, `  }`, `});`, '');
  for (let r = 0; r < 7; r++) {
    lines.push(`router.get('/k${i}/${r}/:slug', async (ctx) => {`, `  const slug = String(ctx.params.slug).toLowerCase();`,
      `  const page = await loadPage(slug, ctx.query.lang ?? 'en');`, `  if (page === null) ctx.throw(404);`,
      `  ctx.set('cache-control', 'max-age=60');`, `  ctx.body = { slug, title: page.title, words: page.body.split(' ').length };`, `});`, '');
  }
  lines.push(`async function loadPage(slug, lang) {`, `  return { title: slug + ':' + lang, body: 'lorem ipsum dolor' };`, `}`, '',
    `app.use(router.routes());`, `export default app;`, '');
  return lines.join('\n');
}

function nestModule(i) {
  const lines = [`import { Body, Controller, Get, Injectable, Param, Post } from '@nestjs/common';`, '',
    `export interface Order${i} { id: string; total: number; items: string[] }`, '', `@Injectable()`, `export class OrderService${i} {`,
    `  constructor(private readonly repo: { find(id: string): Promise<Order${i} | null>; save(o: Order${i}): Promise<void> }) {}`, ''];
  for (let m = 0; m < 4; m++) {
    lines.push(`  async step${m}(id: string): Promise<Order${i} | null> {`, `    const order = await this.repo.find(id);`,
      `    if (order === null) return null;`, `    const total = order.items.reduce((sum, item) => sum + item.length, 0);`,
      `    return { ...order, total };`, `  }`, '');
  }
  lines.push(`}`, '', `@Controller('orders${i}')`, `export class OrderController${i} {`, `  constructor(private readonly service: OrderService${i}) {}`, '');
  for (let m = 0; m < 4; m++) {
    lines.push(`  @Get(':id/${m}')`, `  async get${m}(@Param('id') id: string) {`, `    return this.service.step${m}(id);`, `  }`, '');
  }
  lines.push(`  @Post()`, `  async create(@Body() body: Order${i}) {`, `    return { created: body.id };`, `  }`, `}`, '');
  return lines.join('\n');
}

const corpus = join(here, 'lint-corpus');
const corpusFiles = readdirSync(corpus).filter((f) => /\.[cm]?[jt]s$/.test(f)).map((f) => ({ name: f, text: readFileSync(join(corpus, f), 'utf8') }));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let lineCount = 0;
let fileCount = 0;
for (let i = 0; lineCount < targetLines; i++) {
  let name;
  let text;
  switch (i % 10) {
    case 0: case 1: case 2: case 3: name = `routes/express-${i}.js`; text = expressModule(i); break;
    case 4: case 5: name = `routes/fastify-${i}.ts`; text = fastifyModule(i); break;
    case 6: name = `routes/koa-${i}.mjs`; text = koaModule(i); break;
    case 7: case 8: name = `modules/nest-${i}.ts`; text = nestModule(i); break;
    default: { const c = corpusFiles[i % corpusFiles.length]; name = `copies/${i}-${c.name}`; text = c.text; }
  }
  mkdirSync(join(out, dirname(name)), { recursive: true });
  writeFileSync(join(out, name), text);
  lineCount += text.split('\n').length;
  fileCount++;
}

// Both runs go through a small wrapper that reports the child's own CPU time: on a shared machine the wall time
// mostly measures the other processes (see the load average printed below).
const wrappers = join(here, 'out', 'lint-speed-wrappers');
mkdirSync(wrappers, { recursive: true });
const cliMain = pathToFileURL(join(here, '..', 'packages', 'leakfinder', 'dist', 'src', 'cli', 'main.js')).href;
writeFileSync(join(wrappers, 'lint.mjs'), `
import { Writable } from 'node:stream';
const { main } = await import(${JSON.stringify(cliMain)});
let out = '';
const stdout = new Writable({ write(c, _e, done) { out += c; done(); } });
const code = await main(process.argv.slice(2), { stdout });
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ code, report: JSON.parse(out), cpuMs: (cpu.user + cpu.system) / 1000 }));
`);
writeFileSync(join(wrappers, 'baseline.mjs'), `
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, ignore: false, overrideConfig: [
  // One trivial core rule, so that ESLint traverses the AST and runs code-path analysis as it does for any rule set.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts'], rules: { 'no-debugger': 'error' } },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
] });
const results = await eslint.lintFiles(['.']);
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ files: results.length, cpuMs: (cpu.user + cpu.system) / 1000 }));
`);

function timed(script, args) {
  const load = loadavg()[0];
  const started = performance.now();
  const result = spawnSync(process.execPath, [script, ...args], { cwd: out, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${script} failed: ${result.stderr}`);
  return { wallMs: performance.now() - started, load, ...JSON.parse(result.stdout) };
}

const runs = [];
for (let i = 0; i < 2; i++) runs.push({ lint: timed(join(wrappers, 'lint.mjs'), ['lint', '--format', 'json', '.']), baseline: timed(join(wrappers, 'baseline.mjs'), []) });
rmSync(wrappers, { recursive: true, force: true });
if (!process.argv.includes('--keep')) rmSync(out, { recursive: true, force: true });

const best = (key, field) => Math.min(...runs.map((r) => r[key][field]));
const per100k = (ms) => ((ms / 1000) * (100_000 / lineCount)).toFixed(2);
const lint = runs[0].lint;
console.log(`generated ${fileCount} files, ${lineCount} lines (express/fastify/koa/NestJS/corpus copies); ${cpus().length} CPUs, load average ${runs.map((r) => r.lint.load.toFixed(1)).join(', ')} at the runs`);
console.log(`leakfinder lint: best of ${runs.length}: ${per100k(best('lint', 'cpuMs'))} s CPU, ${per100k(best('lint', 'wallMs'))} s wall per 100k lines; exit ${lint.code}, ${lint.report.summary.findingCount} findings, ${lint.report.summary.filesUnparsable} unparsable`);
console.log(`ESLint, same parsers, one trivial core rule: ${per100k(best('baseline', 'cpuMs'))} s CPU, ${per100k(best('baseline', 'wallMs'))} s wall per 100k lines`);
console.log(`rules' share of the CPU time: ${(((best('lint', 'cpuMs') - best('baseline', 'cpuMs')) / best('lint', 'cpuMs')) * 100).toFixed(0)}%`);
