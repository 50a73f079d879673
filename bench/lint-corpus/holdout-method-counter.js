// express: requests counted per HTTP method; Node's parser only accepts known methods, so the keys are bounded (no leak).
const express = require('express');

const app = express();
const perMethod = {};

app.use((req, res, next) => {
  perMethod[req.method] = (perMethod[req.method] || 0) + 1;
  next();
});

app.get('/stats', (req, res) => res.json(perMethod));
app.listen(3000);
