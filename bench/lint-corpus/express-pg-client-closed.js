// express: a short-lived pg Client that is always ended in finally (wasteful but not a leak).
import express from 'express';
import pg from 'pg';

const app = express();

app.get('/report', async (req, res) => {
  const client = new pg.Client({ connectionString: process.env.REPORTING_DB_URL });
  await client.connect();
  try {
    const { rows } = await client.query('select count(*) from events');
    res.json(rows[0]);
  } finally {
    await client.end();
  }
});

app.listen(3000);
