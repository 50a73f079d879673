// koa: a module-level object keyed by URL; arbitrary URLs make it grow without end.
import Koa from 'koa';

const app = new Koa();
const lastSeen = {};

app.use(async (ctx, next) => {
  lastSeen[ctx.request.url] = Date.now(); // leak: no-module-state-per-request
  await next();
});

app.use((ctx) => {
  ctx.body = { seen: Object.keys(lastSeen).length };
});

app.listen(Number(process.env.PORT ?? 3000));
