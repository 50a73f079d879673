// fastify + prom-client: latency labelled by URL and user id, so the registry grows with every user and URL.
import Fastify from 'fastify';
import { Histogram } from 'prom-client';

const app = Fastify();
const latency = new Histogram({ name: 'http_latency_seconds', help: 'latency', labelNames: ['route', 'user'] });

app.addHook('onResponse', async (request, reply) => {
  latency.observe({ route: request.url, user: String(request.headers['x-user-id']) }, reply.elapsedTime / 1000); // leak: no-unbounded-metric-labels
});

app.get('/', async () => 'ok');
await app.listen({ port: 3000 });
