// express: a keep-alive interval per request that is never cleared, even after the client leaves.
const express = require('express');

const app = express();

app.get('/stream', (req, res) => {
  res.set('content-type', 'text/plain');
  setInterval(() => { // leak: no-interval-per-request
    res.write('.');
  }, 1000);
});

app.listen(3000);
