// express: a plain-object cache with a size check through Object.keys and a reset (bounded: no leak).
const express = require('express');

const app = express();
let answers = {};

app.get('/answer', (req, res) => {
  const q = String(req.query.q);
  if (answers[q] === undefined) {
    if (Object.keys(answers).length > 1000) answers = {};
    answers[q] = q.length * 42;
  }
  res.json({ answer: answers[q] });
});

app.listen(3000);
