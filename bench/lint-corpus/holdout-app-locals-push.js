// express: request bodies appended to an array in app.locals, which lives as long as the app.
const express = require('express');

const app = express();
app.locals.feedback = [];
app.use(express.json());

app.post('/feedback', (req, res) => {
  req.app.locals.feedback.push(req.body); // leak: no-module-state-per-request
  res.sendStatus(201);
});

app.listen(3000);
