// fastify: a naive per-IP rate limiter; one Map entry per client IP, forever.
import Fastify from 'fastify';

const fastify = Fastify();
const hits = new Map<string, number>();

fastify.addHook('onRequest', async (request, reply) => {
  const count = (hits.get(request.ip) ?? 0) + 1;
  hits.set(request.ip, count); // leak: no-module-state-per-request
  if (count > 100) await reply.code(429).send({ error: 'slow down' });
});

fastify.get('/', async () => ({ ok: true }));

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
