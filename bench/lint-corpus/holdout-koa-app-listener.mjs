// koa: a middleware adds an 'error' listener to the application (through ctx.app) on every request.
import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  ctx.app.on('error', (err) => { // leak: no-listener-per-request
    console.error(ctx.path, err);
  });
  await next();
});

app.listen(3000);
