// fastify: a TTL cache swept by an unref'd interval that deletes expired entries (no leak).
import Fastify from 'fastify';

const app = Fastify();
const tokens = new Map<string, { userId: string; expiresAt: number }>();

setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of tokens) if (entry.expiresAt < now) tokens.delete(key);
}, 60_000).unref();

app.post<{ Body: { userId: string } }>('/tokens', async (request) => {
  const token = crypto.randomUUID();
  tokens.set(token, { userId: request.body.userId, expiresAt: Date.now() + 600_000 });
  return { token };
});

await app.listen({ port: 3000 });
