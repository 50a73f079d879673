// express: middleware keeps the latest request in a module variable for "debugging".
const express = require('express');

const app = express();
let lastRequest = null;

app.use((req, res, next) => {
  lastRequest = req; // leak: no-request-in-long-lived
  next();
});

app.get('/debug', (req, res) => {
  res.json({ lastUrl: lastRequest?.url });
});

app.listen(3000);
