// fastify: long-poll replies parked in a Map and never removed when the client goes away.
import Fastify, { type FastifyReply } from 'fastify';

const app = Fastify();
const waiting = new Map<string, FastifyReply>();

app.get<{ Params: { id: string } }>('/wait/:id', (request, reply) => {
  waiting.set(request.params.id, reply); // leak: no-request-in-long-lived
});

app.post<{ Params: { id: string } }>('/notify/:id', async (request) => {
  waiting.get(request.params.id)?.send({ done: true });
  return { notified: true };
});

await app.listen({ port: 3000 });
