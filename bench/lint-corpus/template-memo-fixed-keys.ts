// node:http: templates memoized by name, and the only names are literals in the code (no leak).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const templates = new Map<string, string>();

function template(name: string): string {
  const cached = templates.get(name);
  if (cached !== undefined) return cached;
  const text = readFileSync(new URL(`./views/${name}.html`, import.meta.url), 'utf8');
  templates.set(name, text);
  return text;
}

createServer((req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end(req.url === '/about' ? template('about') : template('home'));
}).listen(3000);
