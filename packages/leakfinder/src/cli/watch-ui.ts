/**
 * The live page of `watch --ui`: an HTTP server on 127.0.0.1 (random port) that serves the report as the
 * HTML view in live mode and as JSON, both only with the random token of the printed URL (anything else is
 * 403), so another local user or a web page in the browser cannot read heap facts of the target.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { renderCheckJson } from '../report/check-json.js';
import { renderHtml } from '../report/html/render-html.js';
import type { CheckReport } from '../report/model.js';

/** A running live page. */
export interface WatchUi {
  /** `http://127.0.0.1:<port>/?token=<token>`: what the user opens. */
  readonly url: string;
  /** Replaces the report both URLs serve. */
  update(report: CheckReport): void;
  close(): Promise<void>;
}

/** How often the page asks for the report; checkpoints are seconds apart, so 2 s shows each within 2 s. */
const kPollMs = 2_000;

/** Starts the server with `initial` as the report. */
export async function startWatchUi(initial: CheckReport): Promise<WatchUi> {
  const token = randomBytes(18).toString('base64url');
  const expected = Buffer.from(token);
  let report = initial;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(403, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('403: this page needs the token of the URL that leakfinder printed.\n');
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = renderHtml(report, { live: { reportUrl: `/report.json?token=${token}`, intervalMs: kPollMs } });
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (url.pathname === '/report.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(renderCheckJson(report));
    } else {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('404\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    update(next) {
      report = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
