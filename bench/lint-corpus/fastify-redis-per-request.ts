// fastify: a Redis client connected per request and never quit.
import Fastify from 'fastify';
import { createClient } from 'redis';

const app = Fastify();

app.get<{ Params: { key: string } }>('/cache/:key', async (request) => {
  const client = createClient({ url: process.env.REDIS_URL }); // leak: no-client-per-request
  await client.connect();
  return { value: await client.get(request.params.key) };
});

await app.listen({ port: 3000 });
