// express: memoizee with a max size and maxAge; the cache is bounded (no leak).
const express = require('express');
const memoize = require('memoizee');

const app = express();
const priceOf = memoize((sku) => ({ sku, cents: sku.length * 100 }), { max: 1000, maxAge: 60_000 });

app.get('/price/:sku', (req, res) => {
  res.json(priceOf(req.params.sku));
});

app.listen(3000);
