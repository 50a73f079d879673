// express: callbacks that close over the response are queued in a module array and never removed.
import express from 'express';

const app = express();
const waiting = [];

app.get('/next-tick', (req, res) => {
  waiting.push(() => res.send(`tick for ${req.ip}`)); // leak: no-request-in-long-lived
});

app.post('/tick', (req, res) => {
  for (const callback of waiting) callback();
  res.sendStatus(204);
});

app.listen(3000);
