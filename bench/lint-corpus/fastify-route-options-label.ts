// fastify + prom-client: a summary labelled with the route's URL pattern from routeOptions (no leak).
import Fastify from 'fastify';
import { Summary } from 'prom-client';

const app = Fastify();
const sizes = new Summary({ name: 'response_bytes', help: 'sizes', labelNames: ['route', 'method'] });

app.addHook('onSend', async (request, reply, payload) => {
  sizes.observe({ route: request.routeOptions.url ?? 'unknown', method: request.method }, String(payload ?? '').length);
  return payload;
});

await app.listen({ port: 3000 });
