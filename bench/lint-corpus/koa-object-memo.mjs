// koa: search results memoized in a plain object keyed by the query string.
import Koa from 'koa';

const app = new Koa();
const memo = {};

async function search(q) {
  return [`result for ${q}`];
}

app.use(async (ctx) => {
  const q = String(ctx.query.q ?? '');
  if (memo[q] !== undefined) {
    ctx.body = memo[q];
    return;
  }
  const results = await search(q);
  memo[q] = results; // leak: no-unbounded-memoize
  ctx.body = results;
});

app.listen(3000);
