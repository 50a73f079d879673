// koa: the whole context object cached per session id, so every request and response stays alive.
import Koa from 'koa';

const app = new Koa();
const contexts = new Map();

app.use(async (ctx) => {
  const sid = ctx.cookies.get('sid') ?? String(Math.random());
  contexts.set(sid, { ctx, at: Date.now() }); // leak: no-request-in-long-lived
  ctx.body = 'ok';
});

app.listen(3000);
