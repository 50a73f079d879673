// A rate-limiter factory called once at startup; its sweep interval is never stopped, but there is only one (no leak).
const express = require('express');

function createRateLimiter(limit) {
  const hits = new Map();
  setInterval(() => hits.clear(), 60_000);
  return (req, res, next) => {
    const n = (hits.get(req.ip) || 0) + 1;
    hits.set(req.ip, n);
    if (n > limit) return res.sendStatus(429);
    next();
  };
}

const app = express();
app.use(createRateLimiter(100));
app.listen(3000);
