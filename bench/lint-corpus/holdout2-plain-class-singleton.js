// express: a plain (non-NestJS) store class instantiated once at module level; its array grows per request.
const express = require('express');

class FeedbackStore {
  constructor() {
    this.items = [];
  }
  add(item) {
    this.items.push({ ...item, at: Date.now() }); // leak: no-module-state-per-request
  }
}

const store = new FeedbackStore();
const app = express();
app.post('/feedback', express.json(), (req, res) => {
  store.add(req.body);
  res.sendStatus(201);
});
app.listen(3000);
