// express: a per-request timeout that is cleared when the response finishes (no leak).
const express = require('express');

const app = express();

app.use((req, res, next) => {
  const timer = setTimeout(() => {
    if (!res.headersSent) res.status(504).send('timeout');
  }, 30_000);
  res.on('finish', () => clearTimeout(timer));
  res.on('close', () => clearTimeout(timer));
  next();
});

app.get('/', (req, res) => res.send('ok'));
app.listen(3000);
