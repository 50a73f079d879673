// express: process signal handlers registered once at module level (no leak).
const express = require('express');

const app = express();
const server = app.listen(3000);

process.once('SIGTERM', () => server.close());
process.on('SIGINT', () => server.close());

app.get('/', (req, res) => res.send('ok'));
