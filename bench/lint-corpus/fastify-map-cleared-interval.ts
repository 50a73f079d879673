// fastify: a per-IP counter Map that an interval clears every minute (bounded in time: no leak).
import Fastify from 'fastify';

const app = Fastify();
const requestsPerIp = new Map<string, number>();

setInterval(() => requestsPerIp.clear(), 60_000).unref();

app.addHook('onRequest', async (request, reply) => {
  const n = (requestsPerIp.get(request.ip) ?? 0) + 1;
  requestsPerIp.set(request.ip, n);
  if (n > 1000) return reply.code(429).send();
});

app.get('/health', async () => 'ok');

await app.listen({ port: 3000 });
