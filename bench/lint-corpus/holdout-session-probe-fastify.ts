// fastify with @fastify/session: the readiness route reads request.session.
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';

const app = Fastify();
await app.register(fastifyCookie);
await app.register(fastifySession, { secret: 'a secret with minimum length of 32 characters', saveUninitialized: false });

app.get('/readyz', async (request) => {
  return { ready: true, visits: request.session.get('visits') ?? 0 }; // leak: no-eager-session
});

await app.listen({ port: 3000 });
