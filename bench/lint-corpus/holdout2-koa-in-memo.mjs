// koa-router: user profiles memoized in a plain object with an `in` check, keyed by the URL parameter.
import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const profiles = {};

async function loadProfile(id) {
  return { id, name: `user ${id}` };
}

router.get('/profiles/:id', async (ctx) => {
  const { id } = ctx.params;
  if (!(id in profiles)) profiles[id] = await loadProfile(id); // leak: no-unbounded-memoize
  ctx.body = profiles[id];
});

app.use(router.routes());
app.listen(3000);
