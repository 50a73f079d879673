// fastify route() options: the handler pushes every request body into a module-level array.
import Fastify from 'fastify';

const app = Fastify();
const received = [];

app.route({
  method: 'POST',
  url: '/ingest',
  handler: async (request) => {
    received.push(request.body); // leak: no-module-state-per-request
    return { accepted: received.length };
  },
});

await app.listen({ port: 3000 });
