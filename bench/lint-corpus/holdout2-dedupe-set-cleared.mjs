// express: a de-duplication Set of delivery ids, cleared when it gets large (bounded: no leak).
import express from 'express';

const app = express();
const seenDeliveries = new Set();

app.post('/webhook', express.json(), (req, res) => {
  const id = String(req.headers['x-delivery-id']);
  if (seenDeliveries.has(id)) return res.sendStatus(200);
  seenDeliveries.add(id);
  if (seenDeliveries.size > 10_000) seenDeliveries.clear();
  res.sendStatus(202);
});

app.listen(3000);
