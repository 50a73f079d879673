// express + prom-client: labels from the route template, method and status, a bounded set (no leak).
import express from 'express';
import client from 'prom-client';

const app = express();
const requests = new client.Counter({ name: 'requests_total', help: 'requests', labelNames: ['method', 'route', 'status'] });

app.use((req, res, next) => {
  const end = () => {
    requests.inc({ method: req.method, route: req.route?.path ?? 'unmatched', status: res.statusCode });
  };
  res.on('finish', end);
  next();
});

app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
app.listen(3000);
