// fastify: one pool for the process, created at startup and shared by every request (no leak).
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify();

app.get<{ Params: { id: string } }>('/users/:id', async (request) => {
  const { rows } = await pool.query('select * from users where id = $1', [request.params.id]);
  return rows[0] ?? null;
});

app.addHook('onClose', async () => {
  await pool.end();
});

await app.listen({ port: 3000 });
