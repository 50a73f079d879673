// express: an axios instance per request without a custom agent; it holds no sockets of its own (no leak).
const express = require('express');
const axios = require('axios');

const app = express();

app.get('/proxy/:id', async (req, res) => {
  const api = axios.create({ baseURL: 'http://127.0.0.1:4000', headers: { 'x-request-id': req.get('x-request-id') } });
  const { data } = await api.get(`/items/${req.params.id}`);
  res.json(data);
});

app.listen(3000);
