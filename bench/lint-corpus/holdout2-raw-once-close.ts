// fastify: a listener on the raw request's 'close' event, which belongs to this request only (no leak).
import Fastify from 'fastify';

const app = Fastify();

app.get('/long', async (request) => {
  let closed = false;
  request.raw.once('close', () => { closed = true; });
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { closed };
});

await app.listen({ port: 3000 });
