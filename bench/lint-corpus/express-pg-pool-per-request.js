// express: a new pg Pool per request; each keeps its sockets and timers alive.
const express = require('express');
const { Pool } = require('pg');

const app = express();

app.get('/users/:id', async (req, res) => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL }); // leak: no-client-per-request
  const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);
  res.json(rows[0] ?? null);
});

app.listen(3000);
