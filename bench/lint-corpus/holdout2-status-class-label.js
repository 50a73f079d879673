// express + prom-client: the status label is bucketed into 2xx/4xx/5xx and the route is the template (no leak).
const express = require('express');
const client = require('prom-client');

const app = express();
const responses = new client.Counter({ name: 'responses_total', help: 'responses', labelNames: ['route', 'class'] });

app.use((req, res, next) => {
  res.on('finish', () => {
    responses.inc({ route: req.route ? req.route.path : 'unmatched', class: `${Math.floor(res.statusCode / 100)}xx` });
  });
  next();
});

app.listen(3000);
