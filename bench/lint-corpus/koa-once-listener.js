// koa: a middleware waits for a shared "flush" event with once(); requests that never see it pile up.
const { EventEmitter } = require('node:events');
const Koa = require('koa');

const queue = new EventEmitter();
const app = new Koa();

app.use(async (ctx) => {
  await new Promise((resolve) => {
    queue.once('flushed', resolve); // leak: no-listener-per-request
  });
  ctx.body = 'flushed';
});

app.listen(3000);
