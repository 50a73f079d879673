// koa: the application's error listener is registered once at startup (no leak).
import Koa from 'koa';

const app = new Koa();
app.on('error', (err, ctx) => console.error(ctx?.path, err));
app.use(async (ctx) => { ctx.body = 'ok'; });
app.listen(3000);
