/**
 * Finds, in a server's source text, the line that installs a session middleware (`app.use(session({...}))`,
 * `fastify.register(fastifySession, ...)`). The heap cannot tell us this line: the middleware's closure
 * records where its function is written (inside the library), not where it was called, and without
 * allocation tracking at startup no stack exists. So this is a static search, and findings say so. Pure.
 */

/** Session libraries that keep sessions on the server; cookie-session and friends keep them in the cookie. */
export const serverSessionPackages = ['express-session', 'koa-session', '@fastify/session', 'koa-generic-session'] as const;

/** One place in the text that installs a session middleware. */
export interface SessionInstallMatch {
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** The package whose import the call uses; null for the name-only fallback (`app.use(session(` with no import seen). */
  readonly packageName: string | null;
  /** The local name the call uses (`session`, `fastifySession`). */
  readonly localName: string;
}

/** What {@link findSessionInstallSites} saw in one file. */
export interface SessionInstallSearch {
  /** Session packages this file imports or requires. */
  readonly importedPackages: readonly string[];
  readonly matches: readonly SessionInstallMatch[];
}

const identifier = '[A-Za-z_$][\\w$]*';

/**
 * Searches one file's text: first the local names bound to a session package (`import session from
 * 'express-session'`, `const session = require('express-session')`, `await import(...)` is not followed), then
 * `.use(<name>(` / `.use(<name>.default(` / `.register(<name>` calls with those names (or, when there is no
 * such call, the `<name>(...)` call that builds the middleware). When the file calls
 * `.use(...session...(` without importing a session package (imported elsewhere), that call is returned with
 * `packageName: null`. Comments are blanked first so commented-out code does not match.
 * @example
 * findSessionInstallSites("import session from 'express-session';\napp.use(session({ secret }));").matches[0];
 * // { line: 2, column: 1, packageName: 'express-session', localName: 'session' }
 */
export function findSessionInstallSites(text: string): SessionInstallSearch {
  const code = blankComments(text);
  const bindings = new Map<string, string>(); // local name → package
  const packages = serverSessionPackages.map((p) => p.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|');
  const importDefault = new RegExp(
    `import\\s+(?:(${identifier})\\s*(?:,\\s*\\{[^}]*\\})?|\\*\\s+as\\s+(${identifier})|\\{\\s*default\\s+as\\s+(${identifier})[^}]*\\})\\s+from\\s+['"](${packages})['"]`,
    'g',
  );
  for (const m of code.matchAll(importDefault)) bindings.set((m[1] ?? m[2] ?? m[3])!, m[4]!);
  const requireCall = new RegExp(`(?:const|let|var)\\s+(${identifier})\\s*=\\s*require\\(\\s*['"](${packages})['"]\\s*\\)`, 'g');
  for (const m of code.matchAll(requireCall)) bindings.set(m[1]!, m[2]!);
  const importedPackages = [...new Set(bindings.values())];
  // `require('express-session')` inline in the call: app.use(require('express-session')({...}))
  const inlineRequire = new RegExp(`\\.(use|register)\\(\\s*require\\(\\s*['"](${packages})['"]\\s*\\)`, 'g');

  const matches: SessionInstallMatch[] = [];
  const seenOffsets = new Set<number>();
  const add = (offset: number, packageName: string | null, localName: string): void => {
    if (seenOffsets.has(offset)) return;
    seenOffsets.add(offset);
    matches.push({ ...positionOf(code, offset), packageName, localName });
  };
  for (const [name, pkg] of bindings) {
    const escaped = name.replace(/\$/g, '\\$');
    const call = new RegExp(`\\.(?:use\\(\\s*${escaped}(?:\\.default)?\\s*\\(|register\\(\\s*${escaped}\\b)`, 'g');
    let found = false;
    for (const m of code.matchAll(call)) {
      add(statementStart(code, m.index), pkg, name);
      found = true;
    }
    if (!found) {
      // `const mw = session({...}); app.use(mw)`: the call that builds the middleware is the line to show.
      const build = new RegExp(`(?<![\\w$.])${escaped}(?:\\.default)?\\s*\\(`, 'g');
      for (const m of code.matchAll(build)) add(m.index, pkg, name);
    }
  }
  for (const m of code.matchAll(inlineRequire)) {
    if (!importedPackages.includes(m[2]!)) importedPackages.push(m[2]!);
    add(statementStart(code, m.index), m[2]!, 'require');
  }
  if (matches.length === 0) {
    // The middleware may be imported in another module and passed in: match the name shape only.
    const loose = /\.use\(\s*([\w$]*[Ss]ession[\w$]*)(?:\.default)?\s*\(/g;
    for (const m of code.matchAll(loose)) add(statementStart(code, m.index), null, m[1]!);
  }
  matches.sort((a, b) => a.line - b.line || a.column - b.column);
  return { importedPackages, matches };
}

/** Replaces comments with spaces (keeping newlines and offsets), leaving strings alone. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '"' || c === "'" || c === '`') {
      // copy the string literal through (template expressions are rare in session setup; not parsed)
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The start of the expression statement holding `offset`: back to `app` in `app.use(`. */
function statementStart(code: string, offset: number): number {
  let i = offset;
  while (i > 0 && /[\w$.]/.test(code[i - 1]!)) i--;
  return i;
}

function positionOf(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (code.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
