// koa: a listener on a shared EventTarget registered with an AbortSignal that fires when the request ends (no leak).
import Koa from 'koa';

const ticker = new EventTarget();
const app = new Koa();

app.use(async (ctx) => {
  const done = new AbortController();
  let ticks = 0;
  ticker.addEventListener('tick', () => { ticks++; }, { signal: done.signal });
  await new Promise((resolve) => setTimeout(resolve, 50));
  done.abort();
  ctx.body = { ticks };
});

app.listen(3000);
