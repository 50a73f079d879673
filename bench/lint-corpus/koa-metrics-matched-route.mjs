// koa + prom-client: a gauge and a histogram labelled with koa-router's matched route and the status (no leak).
import Koa from 'koa';
import { Gauge, Histogram } from 'prom-client';

const app = new Koa();
const inFlight = new Gauge({ name: 'in_flight', help: 'in flight' });
const duration = new Histogram({ name: 'duration_seconds', help: 'duration', labelNames: ['route', 'status'] });

app.use(async (ctx, next) => {
  inFlight.inc();
  const stop = duration.startTimer();
  try {
    await next();
  } finally {
    inFlight.dec();
    stop({ route: ctx._matchedRoute ?? 'none', status: String(ctx.status) });
  }
});

app.listen(3000);
