// express: one listener per request on a shared emitter, with an event name built from the body.
const { EventEmitter } = require('node:events');
const express = require('express');

const notifications = new EventEmitter();
const app = express();
app.use(express.json());

app.post('/subscribe', (req, res) => {
  const notify = (msg) => console.log('to', req.body.userId, msg);
  notifications.on(`user:${req.body.userId}`, notify); // leak: no-listener-per-request
  res.sendStatus(204);
});

app.listen(3000);
