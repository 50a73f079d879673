// fastify: memoize-one keeps only the last call, so it is bounded by design (no leak).
import Fastify from 'fastify';
import memoizeOne from 'memoize-one';

const app = Fastify();
const format = memoizeOne((locale: string) => new Intl.NumberFormat(locale));

app.get<{ Querystring: { locale?: string } }>('/price', async (request) => ({
  price: format(request.query.locale ?? 'en-US').format(9.99),
}));

await app.listen({ port: 3000 });
