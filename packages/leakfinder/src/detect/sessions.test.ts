import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GroupSeries } from './series.js';
import {
  assessSessions,
  buildSessionFinding,
  describeStore,
  recognizeSessionFramework,
  ruleOutSessionLeak,
  type SessionFindingContext,
  type SessionPhaseCookies,
  type SessionPhaseKind,
} from './sessions.js';

const K = 100;

/** A phase of K requests, all 2xx unless told; `cookies` maps a name to [set, fresh]. */
function phase(kind: SessionPhaseKind, cookies: Record<string, [number, number]>, status: Partial<SessionPhaseCookies['byStatus']> = {}): SessionPhaseCookies {
  const byStatus = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0, ...status };
  byStatus['2xx'] = status['2xx'] ?? K - byStatus['3xx'] - byStatus['4xx'] - byStatus['5xx'] - byStatus.failed;
  const counts: Record<string, { setCount: number; freshCount: number; deletedCount: number }> = {};
  let withCookie = 0;
  for (const [name, [set, fresh]] of Object.entries(cookies)) {
    counts[name] = { setCount: set, freshCount: fresh, deletedCount: 0 };
    withCookie = Math.max(withCookie, set);
  }
  return { phase: kind, requests: K, byStatus, responsesWithSetCookie: withCookie, cookies: counts, redirectPaths: [], failureReasons: [] };
}

/** A group series over the probe's 4 boundaries (3 phases of K requests). */
function group(className: string, signature: string, counts: number[], bytesPerObject = 100): GroupSeries {
  return {
    key: `${className}|${signature}`,
    className,
    signature,
    requests: counts.map((_, i) => i * K),
    counts,
    selfBytes: counts.map((c) => c * bytesPerObject),
    retainedBytes: counts.map((c) => c * bytesPerObject),
  };
}

const expressPhases = [
  phase('cookie-less', { 'connect.sid': [K, K] }),
  phase('replay', {}),
  phase('cookie-less', { 'connect.sid': [K, K] }),
];
const steady = [
  group('Object', 'Array `stack`', [400, 401, 400, 402]),
  group('(compiled code)', '', [9000, 9010, 9120, 9125]), // JIT of the replay path grows in the replay phase only
];
const noContext: SessionFindingContext = {
  retainerPath: [],
  holder: null,
  creationSite: null,
  creationStack: [],
  creationSites: [],
  installSite: null,
  libraryFrame: null,
};

test('express-session defaults: fresh cookie per cookie-less response and strings growing only then is a leak', () => {
  const sessions = group('string', 'MemoryStore `sessions`', [500, 600, 601, 700], 250);
  const assessment = assessSessions(expressPhases, [...steady, sessions]);
  assert.equal(assessment.outcome, 'leak');
  assert.deepEqual(assessment.warnings, []);
  assert.equal(assessment.cookie?.name, 'connect.sid');
  assert.equal(assessment.growing.length, 1);
  assert.equal(assessment.growing[0]?.series.key, sessions.key);
  assert.ok(Math.abs(assessment.growing[0]!.countPerRequest - 1) < 0.01);

  const finding = buildSessionFinding(assessment, {
    ...noContext,
    retainerPath: ['(GC roots)', 'Layer `[2]`', 'session() `handle`', '(closure scope)', 'MemoryStore `store`', 'Object `sessions`', '(string) `<key>`'],
    installSite: { file: '/app/server.js', line: 8, column: 9, packageName: 'express-session', foundBy: 'static-search' },
    libraryFrame: { functionName: 'MemoryStore.set', file: '/app/node_modules/express-session/session/memory.js', line: 129, column: 1 },
  });
  assert.ok(finding !== null);
  assert.equal(finding.kind, 'session-per-request');
  assert.equal(finding.group, 'string via MemoryStore `sessions`');
  const summary = finding.evidence['summary'] as string[];
  assert.equal(
    summary[0],
    'every cookie-less response set a new session cookie `connect.sid` (200 of 200), while replaying one cookie set none (0 of 100)',
  );
  assert.equal(summary[1], 'MemoryStore.sessions +1 entry per cookie-less request (about 250 bytes each), +0.01 per request while the cookie was replayed');
  assert.match(summary[2]!, /installed at \/app\/server\.js:8 \(found by searching the server source\); the library stores each session in MemoryStore\.set/);
  assert.deepEqual(finding.holder, {
    description: 'MemoryStore.sessions, filled by the session middleware installed here',
    file: '/app/server.js',
    line: 8,
  });
  assert.equal(finding.evidence['framework'], 'express-session');
  assert.match(finding.advice, /`saveUninitialized: false`/);
  assert.equal(finding.fitR2 > 0.99, true);
});

test('a CSRF token cookie fresh on every response, with or without a cookie, and no heap growth is not a leak', () => {
  const phases = [
    phase('cookie-less', { 'XSRF-TOKEN': [K, K], locale: [K, 0] }),
    phase('replay', { 'XSRF-TOKEN': [K, K], locale: [K, 0] }),
    phase('cookie-less', { 'XSRF-TOKEN': [K, K], locale: [K, 0] }),
  ];
  const assessment = assessSessions(phases, steady);
  assert.equal(assessment.outcome, 'no-session-leak');
  assert.deepEqual(assessment.warnings, []);
  assert.match(assessment.reason, /`XSRF-TOKEN` got a fresh value on every response/);
});

test('a fresh session cookie without heap growth (a store that does not keep them) is not a leak', () => {
  const assessment = assessSessions(expressPhases, steady);
  assert.equal(assessment.outcome, 'no-session-leak');
  assert.equal(assessment.cookie?.name, 'connect.sid');
  assert.equal(buildSessionFinding(assessment, noContext), null);
});

test('growth in the replay phase as well is not session growth (it is left to the per-request rule)', () => {
  const leak = group('Order', 'Array `orders`', [0, 100, 200, 300]);
  const assessment = assessSessions(expressPhases, [...steady, leak]);
  assert.equal(assessment.outcome, 'no-session-leak');
  assert.deepEqual(assessment.growing, []);
});

test('a one-time allocation in the first cookie-less phase only (lazy init) is not session growth', () => {
  const lazy = group('Cache', 'module `server.js`', [0, 150, 150, 150]);
  const assessment = assessSessions(expressPhases, [...steady, lazy]);
  assert.equal(assessment.outcome, 'no-session-leak');
});

test('growth below half an object per fresh cookie is not session growth', () => {
  const small = group('Object', 'Map `stats`', [0, 30, 30, 60]);
  assert.equal(assessSessions(expressPhases, [...steady, small]).outcome, 'no-session-leak');
});

test('a cookie that stays fresh when replayed, with growth everywhere, is undecided and says why', () => {
  const phases = [
    phase('cookie-less', { sid: [K, K] }),
    phase('replay', { sid: [K, K] }),
    phase('cookie-less', { sid: [K, K] }),
  ];
  const everywhere = group('Object', 'Object `sessions`', [0, 100, 200, 300]);
  const assessment = assessSessions(phases, [...steady, everywhere]);
  assert.equal(assessment.outcome, 'undecided');
  assert.equal(assessment.warnings.length, 1);
  assert.match(assessment.warnings[0]!, /^session check undecided: the server set a fresh `sid` even when the first one was sent back/);
});

test('a phase where most requests failed is undecided, naming the failure', () => {
  const failing = { ...phase('cookie-less', { sid: [40, 40] }, { failed: 60 }), failureReasons: ['ECONNRESET'] };
  const assessment = assessSessions([failing, phase('replay', {}), phase('cookie-less', { sid: [K, K] })], steady);
  assert.equal(assessment.outcome, 'undecided');
  assert.deepEqual(assessment.warnings, [
    'session check undecided: 60 of 100 requests of the cookie-less phase got no response (ECONNRESET), too few to judge.',
  ]);
});

test('redirects on cookie-less requests still count, with a warning that names the target', () => {
  const redirected = { ...phase('cookie-less', { 'connect.sid': [K, K] }, { '3xx': K }), redirectPaths: ['/login'] };
  const sessions = group('string', 'MemoryStore `sessions`', [0, 100, 100, 200]);
  const assessment = assessSessions([redirected, phase('replay', {}), phase('cookie-less', { 'connect.sid': [K, K] })], [sessions]);
  assert.equal(assessment.outcome, 'leak');
  assert.equal(assessment.warnings.length, 1);
  assert.match(assessment.warnings[0]!, /100 of 100 cookie-less responses were redirects \(to \/login\)/);
});

test('koa-session: the value cookie is chosen over its signature, and re-sent values are said so', () => {
  const phases = [
    phase('cookie-less', { 'koa.sess': [K, K], 'koa.sess.sig': [K, K] }),
    phase('replay', { 'koa.sess': [K, 0], 'koa.sess.sig': [K, 0] }),
    phase('cookie-less', { 'koa.sess': [K, K], 'koa.sess.sig': [K, K] }),
  ];
  const stored = group('Object', 'Map `sessions`', [10, 110, 110, 210], 180);
  const assessment = assessSessions(phases, [...steady, stored]);
  assert.equal(assessment.outcome, 'leak');
  const finding = buildSessionFinding(assessment, { ...noContext, importedSessionPackages: ['koa-session'] });
  assert.ok(finding !== null);
  assert.equal(
    (finding.evidence['summary'] as string[])[0],
    'every cookie-less response set a new session cookie `koa.sess` (with `koa.sess.sig`) (200 of 200), while replaying one cookie set no new one (0 of 100; 100 re-sent the same value)',
  );
  assert.equal(finding.evidence['framework'], 'koa-session');
  assert.match(finding.advice, /store a TTL|give the external store a TTL/);
});

test('a hand-rolled session map: the allocation site in user code is the line responsible', () => {
  const phases = [phase('cookie-less', { sid: [K, K] }), phase('replay', {}), phase('cookie-less', { sid: [K, K] })];
  const sessions = group('Object', 'Object `sessions`', [3, 103, 103, 203], 120);
  const cart = group('Array', 'Object `cart`', [3, 103, 103, 203], 32);
  const assessment = assessSessions(phases, [...steady, cart, sessions]);
  assert.equal(assessment.outcome, 'leak');
  assert.deepEqual(assessment.growing.map((g) => g.series.className), ['Object', 'Array']);
  const site = { functionName: 'attachSession', file: '/app/server.mjs', line: 21, column: 19 };
  const finding = buildSessionFinding(assessment, { ...noContext, creationSite: site, creationStack: [site] });
  assert.ok(finding !== null);
  assert.deepEqual(finding.evidence['responsible'], { kind: 'allocation-site', site });
  assert.equal(finding.evidence['framework'], 'hand-rolled');
  assert.match((finding.evidence['summary'] as string[])[2]!, /created by user code at attachSession \(\/app\/server\.mjs:21:19\)/);
  assert.match(finding.advice, /expire old entries/);
  assert.equal((finding.evidence['relatedGroups'] as unknown[]).length, 1);
});

test('a session cookie set on only some cookie-less responses is reported with its share', () => {
  const phases = [
    phase('cookie-less', { sid: [50, 50] }),
    phase('replay', {}),
    phase('cookie-less', { sid: [50, 50] }),
  ];
  const sessions = group('Object', 'Map `sessions`', [0, 50, 50, 100]);
  const assessment = assessSessions(phases, [sessions]);
  assert.equal(assessment.outcome, 'leak');
  const finding = buildSessionFinding(assessment, noContext);
  assert.match((finding!.evidence['summary'] as string[])[0]!, /^100 of 200 cookie-less responses set a new session cookie `sid`, while replaying/);
});

test('the framework is recognised from the install site, the retainer path, then the cookie name', () => {
  const none = { retainerPath: [], installSite: null, creationSite: null };
  assert.equal(recognizeSessionFramework('connect.sid', none), 'express-session');
  assert.equal(recognizeSessionFramework('sid', { ...none, retainerPath: ['MemoryStore', 'sessions'] }), 'express-session');
  assert.equal(recognizeSessionFramework('sessionId', none), '@fastify/session');
  assert.equal(recognizeSessionFramework('sid', none), 'hand-rolled');
  assert.equal(recognizeSessionFramework('connect.sid', { ...none, importedSessionPackages: ['koa-session'] }), 'koa-session');
  assert.equal(
    recognizeSessionFramework('x', {
      ...none,
      installSite: { file: '/a.js', line: 1, column: 1, packageName: 'koa-session', foundBy: 'static-search' },
    }),
    'koa-session',
  );
});

test('V8 code and metadata groups never count as session growth, whatever their shape', () => {
  const jit = group('(compiled code)', '', [9000, 9100, 9100, 9200]);
  const maps = group('system / Map', '', [500, 600, 600, 700]);
  assert.equal(assessSessions(expressPhases, [jit, maps]).outcome, 'no-session-leak');
});

test('the store is named by its owning class when the path shows one, else by the holder', () => {
  const express = ['(GC roots)', 'Layer `[2]`', 'session() `handle`', '(closure scope)', 'MemoryStore `store`', 'Object `sessions`', '(string) `<key>`'];
  assert.equal(describeStore(express, 'Object `sessions` in MemoryStore `store`', null), 'MemoryStore.sessions');
  const koa = ['(GC roots)', '(anonymous)() `[1]`', '(closure scope)', 'Map `sessions`', 'Object'];
  const holder = { description: 'Map `sessions` in module server.mjs', file: '/app/server.mjs', line: null };
  assert.equal(describeStore(koa, 'Map `sessions` in (closure scope)', holder), 'Map `sessions` in module server.mjs');
  assert.equal(describeStore([], 'Object `sessions`', null), 'Object `sessions`');
});

test('the session object group is the primary one, ahead of heavier id strings', () => {
  const phases = [phase('cookie-less', { 'koa.sess': [K, K] }), phase('replay', {}), phase('cookie-less', { 'koa.sess': [K, K] })];
  const ids = group('(concatenated string)', 'Map `sessions` in (closure scope)', [0, 100, 100, 200], 88);
  const data = group('Object', 'Map `sessions` in (closure scope)', [0, 100, 100, 200], 72);
  const assessment = assessSessions(phases, [ids, data]);
  assert.deepEqual(assessment.growing.map((g) => g.series.className), ['Object', '(concatenated string)']);
});

test('after the first cookie-less phase, a CSRF token without growth and a re-sent cookie are ruled out early', () => {
  const two = (counts: [number, number]) => group('Object', 'Map `x`', counts);
  const csrf = [phase('cookie-less', { 'XSRF-TOKEN': [K, K] })];
  assert.match(ruleOutSessionLeak(csrf, [two([400, 402])]) ?? '', /^cookie-less responses set a fresh `XSRF-TOKEN`, but no heap group grew with them/);
  const same = [phase('cookie-less', { sid: [K, 0] })];
  assert.equal(ruleOutSessionLeak(same, [two([0, 100])]), 'cookie-less responses set `sid` but not to a new value each time: no session per request.');
  // a session store growing with them keeps the probe going
  assert.equal(ruleOutSessionLeak([phase('cookie-less', { sid: [K, K] })], [two([0, 100])]), null);
  // failures are left to the full assessment, which calls them undecided
  assert.equal(ruleOutSessionLeak([phase('cookie-less', { sid: [10, 10] }, { failed: 90 })], []), null);
});
