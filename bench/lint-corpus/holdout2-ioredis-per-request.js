// express: an ioredis connection opened per request and left open.
const express = require('express');
const Redis = require('ioredis');

const app = express();

app.get('/counter/:name', async (req, res) => {
  const redis = new Redis(process.env.REDIS_URL); // leak: no-client-per-request
  const value = await redis.incr(`counter:${req.params.name}`);
  res.json({ value });
});

app.listen(3000);
