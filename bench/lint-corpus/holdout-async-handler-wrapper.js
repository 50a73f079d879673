// express: handlers wrapped in asyncHandler(); the wrapped handler fills a module object keyed by a query value.
const express = require('express');
const asyncHandler = require('express-async-handler');

const router = express.Router();
const lookups = {};

router.get('/lookup', asyncHandler(async (req, res) => {
  lookups[String(req.query.term)] = Date.now(); // leak: no-module-state-per-request
  res.json({ terms: Object.keys(lookups).length });
}));

module.exports = router;
