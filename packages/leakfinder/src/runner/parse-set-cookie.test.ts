import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSetCookie } from './parse-set-cookie.js';

const nowMs = Date.parse('2026-01-01T00:00:00Z');

test('a plain session cookie gives its name, value and path', () => {
  const cookie = parseSetCookie('connect.sid=s%3Aabc.def; Path=/; HttpOnly', nowMs);
  assert.equal(cookie.name, 'connect.sid');
  assert.equal(cookie.value, 's%3Aabc.def');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.isDeletion, false);
  assert.deepEqual(cookie.oddities, []);
});

test('an Expires date with a comma and unusual attributes parse without oddities', () => {
  const cookie = parseSetCookie(
    'locale=en-GB; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/; Secure; SameSite=None; Partitioned; Priority=High',
    nowMs,
  );
  assert.equal(cookie.value, 'en-GB');
  assert.equal(cookie.secure, true);
  assert.equal(cookie.isDeletion, false);
  assert.deepEqual(cookie.oddities, []);
});

test('Max-Age=0 and a past Expires are deletions, and Max-Age wins over Expires', () => {
  assert.equal(parseSetCookie('sid=; Max-Age=0', nowMs).isDeletion, true);
  assert.equal(parseSetCookie('sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', nowMs).isDeletion, true);
  assert.equal(parseSetCookie('sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60', nowMs).isDeletion, false);
});

test('quoted values are unquoted and attribute names are case-insensitive', () => {
  const cookie = parseSetCookie('token="abc"; PATH=/app; DOMAIN=.Example.com; SECURE', nowMs);
  assert.equal(cookie.value, 'abc');
  assert.equal(cookie.path, '/app');
  assert.equal(cookie.domain, 'example.com');
  assert.equal(cookie.secure, true);
});

test('a pair without = becomes a nameless cookie and is flagged', () => {
  const cookie = parseSetCookie('justaflag; Path=/', nowMs);
  assert.equal(cookie.name, '');
  assert.equal(cookie.value, 'justaflag');
  assert.deepEqual(cookie.oddities, ["no '=' in the name-value pair"]);
});

test('bad Max-Age, bad Expires and a relative Path are flagged and ignored', () => {
  const cookie = parseSetCookie('a=1; Max-Age=soon; Expires=tomorrow; Path=app', nowMs);
  assert.equal(cookie.isDeletion, false);
  assert.equal(cookie.path, null);
  assert.deepEqual(cookie.oddities, ['Max-Age is not an integer', 'Expires is not a date', "Path does not start with '/'"]);
});
