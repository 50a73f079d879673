// koa-router: per-request data on ctx.state and a fixed-size counter array (no leak).
import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const statusCounts = new Array(6).fill(0);

router.get('/items/:id', async (ctx) => {
  ctx.state.itemId = ctx.params.id;
  ctx.body = { id: ctx.state.itemId };
});

app.use(async (ctx, next) => {
  await next();
  statusCounts[Math.floor(ctx.status / 100)] += 1;
});
app.use(router.routes());
app.listen(3000);
