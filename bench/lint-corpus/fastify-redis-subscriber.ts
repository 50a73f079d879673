// fastify: a shared Redis subscriber gets one more 'message' listener per request.
import Fastify from 'fastify';
import { createClient } from 'redis';

const subscriber = createClient({ url: process.env.REDIS_URL });
await subscriber.connect();
const app = Fastify();

app.get<{ Params: { room: string } }>('/rooms/:room/next', (request, reply) => {
  const onMessage = (message: string, channel: string) => {
    if (channel === request.params.room) void reply.send({ message });
  };
  subscriber.on('message', onMessage); // leak: no-listener-per-request
});

await app.listen({ port: 3000 });
