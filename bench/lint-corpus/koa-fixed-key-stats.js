// koa: a stats object with a fixed set of keys, updated per request (bounded: no leak).
const Koa = require('koa');

const app = new Koa();
const stats = { requests: 0, errors: 0, lastStatus: 0 };
const byMethod = new Map();

app.use(async (ctx, next) => {
  stats.requests += 1;
  try {
    await next();
  } catch (error) {
    stats.errors++;
    throw error;
  } finally {
    stats.lastStatus = ctx.status;
    byMethod.set('last', ctx.method);
  }
});

app.use((ctx) => {
  ctx.body = stats;
});

app.listen(3000);
