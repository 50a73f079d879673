import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-client-per-request.js';

new RuleTester().run('no-client-per-request', rule, {
  valid: [
    `const pool = new Pool(); app.get('/u', async (req, res) => res.json(await pool.query('select 1')));`,
    // Closed in finally.
    `app.get('/r', async (req, res) => { const client = new pg.Client(); await client.connect(); try { res.json(1); } finally { await client.end(); } });`,
    // Lazy singleton.
    `let agent; function shared() { if (!agent) agent = new https.Agent({ keepAlive: true }); return agent; }
     app.get('/p', (req, res) => { https.get({ agent: shared() }); });`,
    // A one-off socket is not a pool or client.
    `http.createServer((req, res) => { const s = net.createConnection(4000); s.end(); });`,
    // Not per request.
    `const redis = createClient(); await redis.connect();`,
  ],
  invalid: [
    {
      code: `app.get('/u/:id', async (req, res) => {\n  const pool = new Pool({ connectionString: url });\n  res.json(await pool.query('select 1'));\n});`,
      errors: [{ messageId: 'clientPerRequest', data: { name: 'Pool' }, line: 2 }],
    },
    {
      code: `app.get('/c/:key', async (request) => {\n  const client = createClient({ url });\n  await client.connect();\n  return client.get(request.params.key);\n});`,
      errors: [{ messageId: 'clientPerRequest', line: 2 }],
    },
    {
      code: `http.createServer((req, res) => {\n  http.get({ path: req.url, agent: new http.Agent({ keepAlive: true }) });\n});`,
      errors: [{ messageId: 'clientPerRequest', data: { name: 'http.Agent' }, line: 2 }],
    },
    {
      code: `@Controller('o')\nexport class Orders {\n  @Get(':id')\n  find(@Param('id') id: string) {\n    const prisma = new PrismaClient();\n    return prisma.order.findUnique({ where: { id } });\n  }\n}`,
      errors: [{ messageId: 'clientPerRequest', line: 5 }],
    },
    {
      code: `export default async function handler(req, res) {\n  const s3 = new S3Client({});\n  res.json(await s3.send(cmd));\n}`,
      errors: [{ messageId: 'clientPerRequest', line: 2 }],
    },
    {
      code: `app.get('/n', async (req, res) => {\n  const nc = await connectNats();\n  res.end();\n});`,
      options: [{ factories: ['connectNats'] }],
      errors: [{ messageId: 'clientPerRequest', line: 2 }],
    },
  ],
});
