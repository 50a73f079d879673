// fastify: in-flight replies tracked in a Set, added in onRequest and removed in onResponse (no leak).
import Fastify from 'fastify';

const app = Fastify();
const inFlight = new Set();

app.addHook('onRequest', (request, reply, done) => {
  inFlight.add(reply);
  done();
});
app.addHook('onResponse', (request, reply, done) => {
  inFlight.delete(reply);
  done();
});
app.get('/', async () => ({ inFlight: inFlight.size }));
await app.listen({ port: 3000 });
