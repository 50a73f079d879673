// express: every request appends a record to a module-level array that is never trimmed.
const express = require('express');

const app = express();
const visits = [];

app.get('/', (req, res) => {
  visits.push({ ip: req.ip, at: Date.now(), path: req.path }); // leak: no-module-state-per-request
  res.send(`visit number ${visits.length}`);
});

app.listen(process.env.PORT || 3000);
