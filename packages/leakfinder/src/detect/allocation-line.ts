/**
 * V8's allocation traces name functions, not lines: each frame's position is where its function starts. This
 * narrows a frame to the statement inside the function's own body (nested functions excluded, since they
 * would be frames of their own) that allocated the object (`new Foo(`, an object or array literal) or that
 * called the next frame's function. Pure: it reads source text it is given. A guess only when unique.
 */

/** A 1-based line and column in the text that was searched. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

interface Token {
  readonly text: string;
  readonly offset: number;
  /** 'id' for identifiers and keywords, 'p' for punctuation, 'lit' for strings, numbers, templates, regexes. */
  readonly kind: 'id' | 'p' | 'lit';
}

/** Tokens before which `{` or `[` starts a literal (an expression), not a block or an index. */
const kExpressionStart = new Set(['(', ',', '=', ':', '[', '?', 'return', '||', '&&', '??', '...', 'yield', 'await', '+=', '||=', '??=', '&&=']);

/**
 * Finds where, inside the function starting at `start`, an object of `className` is created: `new ClassName`
 * or `Reflect.construct(` anywhere; for `Object` also literals and `Object.create(`, for `Array` literals. Returns null when none or several candidates exist.
 * @example
 * findAllocationLine(text, { line: 9, column: 19 }, 'Widget'); // { line: 10, column: 10 }: the `new Widget(`
 */
export function findAllocationLine(text: string, start: TextPosition, className: string): TextPosition | null {
  return findAllocation(text, start, className).position;
}

/**
 * Like {@link findAllocationLine}, and also how many places in the function create `className`: a function
 * with two `new Foo(` does create `Foo`, even though the line stays unknown.
 */
export function findAllocation(
  text: string,
  start: TextPosition,
  className: string,
  options: { readonly preferStored?: boolean } = {},
): { position: TextPosition | null; candidateCount: number } {
  const raw = functionBodyTokens(text, start);
  if (raw === null) return { position: null, candidateCount: 0 };
  const candidates: number[] = [];
  // A closure is created where its function expression is evaluated, by the enclosing function:
  // `function onData(` or `const onData = (…) =>` inside this body.
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]!.text !== className) continue;
    if (raw[i - 1]?.text === 'function') candidates.push(raw[i - 1]!.offset);
    else if (raw[i + 1]?.text === '=' && ['function', 'async', '('].includes(raw[i + 2]?.text ?? '')) candidates.push(raw[i]!.offset);
  }
  const body = withoutNestedFunctions(raw);
  for (let i = 0; i < body.length; i++) {
    const token = body[i]!;
    if (token.text === 'new') {
      // `new Foo(`, `new ns.Foo(`: the last name before the argument list is the class
      let j = i + 1;
      while (body[j + 1]?.text === '.' && body[j + 2]?.kind === 'id') j += 2;
      if (body[j]?.text === className) candidates.push(token.offset);
    } else if (token.text === 'Reflect' && body[i + 1]?.text === '.' && body[i + 2]?.text === 'construct' && body[i + 3]?.text === '(') {
      // a factory (`Reflect.construct(Model, args)`) makes an object of whatever class it is handed
      candidates.push(token.offset);
    } else if (className === 'Object' && token.text === 'Object' && body[i + 1]?.text === '.' && body[i + 2]?.text === 'create' && body[i + 3]?.text === '(') {
      candidates.push(token.offset); // koa's context: Object.create(this.context)
    } else if ((className === 'Object' && token.text === '{') || (className === 'Array' && token.text === '[')) {
      const previous = body[i - 1];
      if (previous !== undefined && kExpressionStart.has(previous.text)) candidates.push(token.offset);
    }
  }
  const candidateCount = candidates.length;
  if (candidateCount === 1) return { position: positionAt(text, candidates[0]!), candidateCount };
  // Several literals: a leaked one must be stored, so prefer the one handed to a collection (`.push({…})`,
  // `.set(k, {…})`) or assigned into an object (`cache[k] = {…}`) over, say, a `return {…}` response body.
  // (Not in library code, `preferStored: false`: koa's createContext stores `context.state = {}` and returns
  // the context it made with Object.create.)
  if ((className === 'Object' || className === 'Array') && options.preferStored !== false) {
    const stored = candidates.filter((offset) => isStoredLiteral(body, body.findIndex((t) => t.offset === offset)));
    if (stored.length === 1) return { position: positionAt(text, stored[0]!), candidateCount };
  }
  return { position: null, candidateCount };
}

const kStoringMethods = new Set(['push', 'unshift', 'set', 'add', 'splice', 'assign', 'append']);

/** True when the literal at `index` is an argument of a storing method or assigned to a member. */
function isStoredLiteral(tokens: readonly Token[], index: number): boolean {
  if (index < 1) return false;
  // walk back over earlier arguments of the same call to its `(`
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i]!.text;
    if (t === ')' || t === ']' || t === '}') depth++;
    else if (t === '(' || t === '[' || t === '{') {
      if (depth === 0) return t === '(' && kStoringMethods.has(tokens[i - 1]?.text ?? '') && tokens[i - 2]?.text === '.';
      depth--;
    } else if (depth === 0 && t === '=') {
      const left = tokens[i - 1];
      return left !== undefined && (left.text === ']' || (left.kind === 'id' && tokens[i - 2]?.text === '.'));
    } else if (depth === 0 && (t === ';' || t === 'return')) return false;
  }
  return false;
}

/**
 * Finds the call of `calleeName` inside the function starting at `start` (`calleeName(`, `.calleeName(`,
 * `new calleeName`). Returns the first such call, or null when there is none.
 */
export function findCallLine(text: string, start: TextPosition, calleeName: string): TextPosition | null {
  return findCall(text, start, calleeName).position;
}

/**
 * Like {@link findCallLine}, and also how many calls of `calleeName` the function makes: with several
 * (koa's three `Object.create(`), the first one is a guess, and the site says so.
 */
export function findCall(text: string, start: TextPosition, calleeName: string): { position: TextPosition | null; callCount: number } {
  if (calleeName === '' || calleeName === '(anonymous)') return { position: null, callCount: 0 };
  const raw = functionBodyTokens(text, start);
  if (raw === null) return { position: null, callCount: 0 };
  const body = withoutNestedFunctions(raw);
  let first: number | null = null;
  let callCount = 0;
  for (let i = 0; i < body.length; i++) {
    const token = body[i]!;
    if (token.kind !== 'id' || token.text !== calleeName) continue;
    const next = body[i + 1]?.text;
    const previous = body[i - 1]?.text;
    if (next === '(' || previous === 'new' || next === '`') {
      callCount++;
      first ??= token.offset;
    }
  }
  return { position: first === null ? null : positionAt(text, first), callCount };
}

/**
 * The tokens of the function's body (nested functions included); null when the text at `start` does not
 * look like a function (a stale file, a wrong map).
 */
function functionBodyTokens(text: string, start: TextPosition): Token[] | null {
  const offset = offsetAt(text, start);
  if (offset === null) return null;
  const tokens = tokenize(text, offset);
  let i = 0;
  // V8's function position is the parameter list `(`, the single parameter of `x => …`, or `async` of an
  // async arrow; some versions point at `function` or the name.
  if (tokens[i]?.text === 'async' && tokens[i + 1] !== undefined && tokens[i + 1]!.text !== '=>') i++;
  if (tokens[i]?.text === 'function') i++;
  if (tokens[i]?.text === '*') i++;
  if (tokens[i]?.kind === 'id' && tokens[i + 1]?.text === '(') i++;
  if (tokens[i]?.text === '(') i = matching(tokens, i);
  else if (tokens[i]?.kind === 'id') i += 1;
  else return null;
  if (i < 0) return null;
  if (tokens[i]?.text === '=>') i++;
  if (tokens[i]?.text === '{') {
    const end = matching(tokens, i);
    if (end < 0) return null;
    return tokens.slice(i + 1, end - 1);
  }
  // An arrow function with an expression body: up to the first `,` `;` or unbalanced closer at depth 0.
  return tokens.slice(i, expressionEnd(tokens, i));
}

/** Drops the tokens of functions nested in a body: their allocations belong to their own frames. */
function withoutNestedFunctions(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.text === 'function' || token.text === '=>') {
      let j = i + 1;
      if (token.text === 'function') {
        // skip `function name(params)` to the body
        while (j < tokens.length && tokens[j]!.text !== '(') j++;
        j = matching(tokens, j);
        if (j < 0) break;
      }
      if (tokens[j]?.text === '{') {
        const end = matching(tokens, j);
        i = (end < 0 ? tokens.length : end) - 1;
      } else {
        i = expressionEnd(tokens, j) - 1;
      }
      // arrow parameters were already kept; harmless, they allocate nothing
      continue;
    }
    kept.push(token);
  }
  return kept;
}

/** Index after the bracket that closes the one at `open`; -1 when unbalanced. */
function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function expressionEnd(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (t === ',' || t === ';')) return i;
  }
  return tokens.length;
}

/**
 * A small JavaScript tokenizer from `from` on: enough to balance brackets and find names, skipping comments,
 * strings, template literals and regular expressions. Stops once the bracket opened first is closed again,
 * so the cost is the function's size, not the file's.
 */
function tokenize(text: string, from: number): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let opened = false;
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) { i++; continue; }
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) { i = lineEnd(text, i); continue; }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === 0x22 || c === 0x27) { const e = skipString(text, i); tokens.push({ text: 'str', offset: i, kind: 'lit' }); i = e; continue; }
    if (c === 0x60) { const e = skipTemplate(text, i); tokens.push({ text: 'tpl', offset: i, kind: 'lit' }); i = e; continue; }
    if (isIdentStart(c)) {
      let e = i + 1;
      while (e < n && isIdentPart(text.charCodeAt(e))) e++;
      tokens.push({ text: text.slice(i, e), offset: i, kind: 'id' });
      i = e;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      let e = i + 1;
      while (e < n && /[\w.]/.test(text[e]!)) e++;
      tokens.push({ text: 'num', offset: i, kind: 'lit' });
      i = e;
      continue;
    }
    if (c === 0x2f) {
      const previous = tokens[tokens.length - 1];
      const startsExpression = previous === undefined || (previous.kind === 'p' && !')]}'.includes(previous.text)) || previous.text === 'return';
      if (startsExpression) { i = skipRegex(text, i); tokens.push({ text: 're', offset: i, kind: 'lit' }); continue; }
    }
    const punct = readPunct(text, i);
    tokens.push({ text: punct, offset: i, kind: 'p' });
    i += punct.length;
    if (punct === '(' || punct === '[' || punct === '{') { depth++; opened = true; }
    else if (punct === ')' || punct === ']' || punct === '}') {
      depth--;
      // past the function: the body closed (depth back to 0 after `{…}`), or we left the enclosing bracket
      if (depth < 0) break;
      if (opened && depth === 0 && punct === '}') break;
    }
    // an expression-bodied arrow ends at the end of its statement
    if (opened && depth === 0 && punct === ';') break;
  }
  return tokens;
}

const kPuncts = ['...', '===', '!==', '**=', '<<=', '>>=', '>>>', '??=', '||=', '&&=', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];

function readPunct(text: string, i: number): string {
  for (const p of kPuncts) if (text.startsWith(p, i)) return p;
  return text[i]!;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x24 || c === 0x5f || c === 0x23 || c > 0x7f;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

function lineEnd(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}

function skipString(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === quote || ch === '\n') return j + 1;
  }
  return text.length;
}

function skipTemplate(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\') j += 2;
    else if (ch === '`') return j + 1;
    else if (ch === '$' && text[j + 1] === '{') {
      // an interpolation: balance braces, stepping over nested strings and templates
      let depth = 1;
      j += 2;
      while (j < text.length && depth > 0) {
        const cj = text[j];
        if (cj === '{') depth++;
        else if (cj === '}') depth--;
        else if (cj === '"' || cj === "'") { j = skipString(text, j); continue; }
        else if (cj === '`') { j = skipTemplate(text, j); continue; }
        j++;
      }
    } else j++;
  }
  return text.length;
}

function skipRegex(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      let e = j + 1;
      while (e < text.length && /[a-z]/.test(text[e]!)) e++;
      return e;
    } else if (ch === '\n') return j;
  }
  return text.length;
}

function offsetAt(text: string, position: TextPosition): number | null {
  if (position.line < 1 || position.column < 1) return null;
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const e = text.indexOf('\n', offset);
    if (e < 0) return null;
    offset = e + 1;
  }
  const result = offset + position.column - 1;
  const eol = lineEnd(text, offset);
  return result <= eol ? result : null;
}

function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let e = text.indexOf('\n'); e >= 0 && e < offset; e = text.indexOf('\n', e + 1)) {
    line++;
    lineStart = e + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
