// fastify: per-request data is attached to the request itself, which dies with it (no leak).
import Fastify from 'fastify';

declare module 'fastify' {
  interface FastifyRequest { startedAt: number; user: { id: string } | null }
}

const app = Fastify();
app.decorateRequest('startedAt', 0);
app.decorateRequest('user', null);

app.addHook('onRequest', async (request) => {
  request.startedAt = Date.now();
  request.user = { id: String(request.headers['x-user'] ?? 'anonymous') };
});

app.addHook('onResponse', async (request, reply) => {
  request.log.info({ ms: Date.now() - request.startedAt, status: reply.statusCode });
});

app.get('/', async (request) => ({ user: request.user }));

await app.listen({ port: 3000 });
