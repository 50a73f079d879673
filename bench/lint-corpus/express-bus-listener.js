// express: a streaming endpoint subscribes to a shared emitter on every request and never unsubscribes.
const { EventEmitter } = require('node:events');
const express = require('express');

const prices = new EventEmitter();
const app = express();

app.get('/prices', (req, res) => {
  res.set('content-type', 'text/event-stream');
  prices.on('price', (price) => { // leak: no-listener-per-request
    res.write(`data: ${JSON.stringify(price)}\n\n`);
  });
});

setInterval(() => prices.emit('price', { at: Date.now() }), 1000).unref();
app.listen(3000);
