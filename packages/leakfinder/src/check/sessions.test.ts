import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckSessionsResult } from './sessions.js';
import { mergeSessionResult } from './sessions.js';
import type { Finding } from '../detect/finding.js';

function finding(kind: Finding['kind'], group: string, evidence: Record<string, unknown> = {}): Finding {
  return {
    kind,
    className: group.split(' ')[0]!,
    group,
    countPerRequest: 1,
    bytesPerRequest: 100,
    fitR2: 1,
    retainerPath: [],
    holder: null,
    creationSite: null,
    creationStack: [],
    creationSites: [],
    evidence,
    advice: '',
  };
}

const report = {
  verdict: 'leak' as const,
  reason: null,
  findings: [finding('per-request-growth', 'string via MemoryStore `sessions`'), finding('per-request-growth', 'Order via Array `orders`')],
  warnings: ['w0'],
  thresholds: { requests: 1000 } as Record<string, number | string | boolean>,
};

function result(overrides: Partial<CheckSessionsResult>): CheckSessionsResult {
  return {
    ran: true,
    probe: { ran: true, requestsPerPhase: 50, sniff: {} as never, phases: [], replayedCookieNames: [], notes: [], stoppedEarly: null, stoppedAtBoundary: null },
    assessment: null,
    finding: null,
    explainedGroupKeys: [],
    warnings: [],
    thresholds: { requestsPerPhase: 50 },
    requests: 153,
    overheadMs: 1,
    ...overrides,
  };
}

test('the session finding replaces the generic finding of the same group and comes first', () => {
  const session = finding('session-per-request', 'string via MemoryStore `sessions`', { relatedGroups: [] });
  const merged = mergeSessionResult(report, result({ finding: session, warnings: ['session check: note'] }));
  assert.deepEqual(merged.findings.map((f) => `${f.kind} ${f.group}`), [
    'session-per-request string via MemoryStore `sessions`',
    'per-request-growth Order via Array `orders`',
  ]);
  assert.deepEqual(merged.warnings, ['w0', 'session check: note']);
  assert.deepEqual(merged.thresholds, { requests: 1000, 'session.requestsPerPhase': 50 });
});

test('related groups of the session finding are dropped too', () => {
  const session = finding('session-per-request', 'Object via Map `sessions`', { relatedGroups: [{ group: 'Order via Array `orders`' }] });
  const merged = mergeSessionResult(report, result({ finding: session }));
  assert.deepEqual(merged.findings.map((f) => f.group), ['Object via Map `sessions`', 'string via MemoryStore `sessions`']);
});

test('a session leak makes a clean run a leak; no finding leaves the verdict alone', () => {
  const clean = { ...report, verdict: 'clean' as const, findings: [] };
  const session = finding('session-per-request', 'Object via Object `sessions`');
  assert.equal(mergeSessionResult(clean, result({ finding: session })).verdict, 'leak');
  assert.equal(mergeSessionResult(clean, result({})).verdict, 'clean');
  assert.equal(mergeSessionResult(clean, undefined), clean);
});

test('a probe that did not run adds its thresholds and warnings only', () => {
  const merged = mergeSessionResult(report, result({ ran: false, warnings: ['session check failed, no session verdict: boom'] }));
  assert.deepEqual(merged.findings, report.findings);
  assert.equal(merged.verdict, 'leak');
  assert.deepEqual(merged.warnings, ['w0', 'session check failed, no session verdict: boom']);
  assert.equal(merged.thresholds['session.requestsPerPhase'], 50);
});
