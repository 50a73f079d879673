// express: collections created inside the handler die with the request (no leak).
const express = require('express');

const app = express();

app.get('/search', (req, res) => {
  const results = [];
  const seen = new Set();
  for (const word of String(req.query.q ?? '').split(' ')) {
    if (seen.has(word)) continue;
    seen.add(word);
    results.push(word.toUpperCase());
  }
  res.json(results);
});

app.listen(3000);
