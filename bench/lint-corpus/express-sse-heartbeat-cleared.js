// express: a heartbeat interval per stream, cleared when the client disconnects (no leak).
import express from 'express';

const app = express();

app.get('/events', (req, res) => {
  res.set('content-type', 'text/event-stream');
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => clearInterval(heartbeat));
});

app.listen(3000);
