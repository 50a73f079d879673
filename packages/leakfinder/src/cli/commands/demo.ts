import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../../check/check.js';
import { renderCheckTerminal } from '../../report/check-terminal.js';
import { renderHtml } from '../../report/html/render-html.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { assertOutputPaths, writeFileAtomically } from '../output-paths.js';

/** The bundled example server (packages/leakfinder/examples), found from this compiled file. */
export const demoServerPath = fileURLToPath(new URL('../../../../examples/leaky-server.mjs', import.meta.url));

/** `leakfinder demo`: `check` on the bundled leaky server, so a new user sees a real finding. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run `check` on a bundled leaky example server (under a minute)',
  usage: `Usage: leakfinder demo [--html <file>]

Runs \`leakfinder check -- node ${demoServerPath}\` and prints the report. The example keeps a
\`RequestLog\` per request in a module-level Map; the demo exits 0 when check finds that leak, 2 otherwise.

  --html <file>   also write the report as one self-contained HTML page (open it in a browser)
`,
  async run(args, io) {
    const { values } = parseCommandArgs('demo', args, { html: { type: 'string' } }, false);
    assertOutputPaths([{ flag: '--html', path: values.html, kind: 'html' }], [demoServerPath], io.cwd);
    io.stderr.write(`leakfinder demo: checking the bundled example ${demoServerPath}\n`);
    const report = await check({
      command: [process.execPath, demoServerPath],
      cwd: io.cwd,
      env: io.env,
      signal: io.signal,
      onProgress: (message) => io.stderr.write(`leakfinder: ${message}\n`),
      onServerOutput: (_stream, line) => io.stderr.write(`[server] ${line}\n`),
    });
    io.stdout.write(renderCheckTerminal(report));
    if (values.html !== undefined) {
      await writeFileAtomically(resolve(io.cwd, values.html), renderHtml(report));
      io.stderr.write(`leakfinder demo: the HTML report is in ${resolve(io.cwd, values.html)}\n`);
    }
    const found = report.verdict === 'leak' && report.findings.some((f) => f.className === 'RequestLog');
    io.stdout.write(
      found
        ? '\nThe demo found its leak. Try it on your own server: leakfinder check -- node server.js\n'
        : '\nThe demo did not find the leak it contains; please report this.\n',
    );
    return found ? ExitCode.Ok : ExitCode.NoVerdict;
  },
};
