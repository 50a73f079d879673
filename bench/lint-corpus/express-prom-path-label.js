// express + prom-client: a counter labelled with the raw URL; every distinct URL creates a new time series for good.
const express = require('express');
const client = require('prom-client');

const app = express();
const httpRequests = new client.Counter({
  name: 'http_requests_total',
  help: 'requests',
  labelNames: ['method', 'path', 'status'],
});

app.use((req, res, next) => {
  res.on('finish', () => {
    httpRequests.labels(req.method, req.originalUrl, String(res.statusCode)).inc(); // leak: no-unbounded-metric-labels
  });
  next();
});

app.get('/metrics', async (req, res) => res.send(await client.register.metrics()));
app.listen(3000);
