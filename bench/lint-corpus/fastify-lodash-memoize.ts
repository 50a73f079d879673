// fastify: lodash memoize over a user id from the URL; lodash's cache has no bound.
import Fastify from 'fastify';
import memoize from 'lodash/memoize.js';

const app = Fastify();

const loadProfile = memoize(async (id: string) => { // leak: no-unbounded-memoize
  return { id, name: `user ${id}` };
});

app.get<{ Params: { id: string } }>('/profiles/:id', async (request) => loadProfile(request.params.id));

await app.listen({ port: 3000 });
