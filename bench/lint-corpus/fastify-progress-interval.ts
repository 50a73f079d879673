// fastify: the handle of a per-request interval is kept but never passed to clearInterval.
import Fastify from 'fastify';

const app = Fastify();

app.get('/progress', (request, reply) => {
  let percent = 0;
  const timer = setInterval(() => { // leak: no-interval-per-request
    percent = Math.min(100, percent + 10);
    reply.raw.write(`${percent}\n`);
  }, 200);
  request.log.info({ timer: String(timer) }, 'started');
});

await app.listen({ port: 3000 });
