// express: responses parked by id and answered later, never removed.
const express = require('express');

const app = express();
const inflight = new Map();

app.get('/jobs/:id/wait', (req, res) => {
  inflight.set(req.params.id, { res, since: Date.now() }); // leak: no-request-in-long-lived
});

app.post('/jobs/:id/done', (req, res) => {
  inflight.get(req.params.id)?.res.json({ done: true });
  res.sendStatus(204);
});

app.listen(3000);
