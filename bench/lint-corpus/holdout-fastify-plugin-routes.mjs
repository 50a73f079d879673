// fastify: routes registered inside a plugin function; request ids collected in a module Set.
const seenIds = new Set();

export default async function routes(fastify) {
  fastify.get('/items', async (request) => {
    seenIds.add(request.id); // leak: no-module-state-per-request
    return { seen: seenIds.size };
  });
}
