/**
 * Finds the line that declares a module-level variable in a file's source text. The heap names the variable
 * that holds a leak (`Map \`cache\` in module server.js`) but records no line for it: a context slot has no
 * position. So this is a static search of the module's own text, and only an unambiguous answer counts. Pure.
 */

/** Blanks comments and string contents, keeping line breaks and lengths, so they cannot match. */
function blankCommentsAndStrings(source: string): string {
  return source.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/g,
    (match) => match.replace(/[^\n]/g, ' '),
  );
}

/**
 * The 1-based line of `const|let|var <name>` (also in a destructuring list or after `export`) declared at the
 * top level of `source`, or null when there is none or more than one. Nesting is tracked by braces, so a
 * same-named local inside a function does not count.
 * @example
 * findDeclarationLine("import x from 'y';\nconst cache = new Map();\n", 'cache'); // 2
 */
export function findDeclarationLine(source: string, name: string): number | null {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  const text = blankCommentsAndStrings(source);
  const declaration = new RegExp(`\\b(?:const|let|var)\\s+(?:[{\\[][^=;]*?\\b${name.replace(/\$/g, '\\$')}\\b[^=;]*?[}\\]]|${name.replace(/\$/g, '\\$')}\\b)`, 'g');
  const lines: number[] = [];
  for (const match of text.matchAll(declaration)) {
    const before = text.slice(0, match.index);
    let depth = 0;
    for (const char of before) {
      if (char === '{') depth++;
      else if (char === '}') depth--;
    }
    if (depth !== 0) continue; // inside a function, class or block: not the module-level variable
    lines.push(before.split('\n').length);
  }
  return lines.length === 1 ? lines[0]! : null;
}
