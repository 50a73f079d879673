// express: server-sent events; each response is removed from the Set when its client disconnects (no leak).
import express from 'express';

const app = express();
const clients = new Set();

app.get('/events', (req, res) => {
  res.set('content-type', 'text/event-stream');
  clients.add(res);
  req.on('close', () => {
    clients.delete(res);
  });
});

app.post('/broadcast', express.text(), (req, res) => {
  for (const client of clients) client.write(`data: ${req.body}\n\n`);
  res.sendStatus(204);
});

app.listen(3000);
