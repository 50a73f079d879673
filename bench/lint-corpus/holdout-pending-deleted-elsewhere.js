// express: long-poll responses parked in an object and deleted when answered or when the client leaves (no leak).
const express = require('express');

const app = express();
const pending = {};

app.get('/poll/:id', (req, res) => {
  pending[req.params.id] = res;
  req.on('close', () => { delete pending[req.params.id]; });
});

app.post('/answer/:id', (req, res) => {
  pending[req.params.id]?.json({ ok: true });
  delete pending[req.params.id];
  res.sendStatus(204);
});

app.listen(3000);
