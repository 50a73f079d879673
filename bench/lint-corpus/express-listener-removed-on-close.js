// express: the listener on the shared emitter is removed when the client disconnects (no leak).
import { EventEmitter } from 'node:events';
import express from 'express';

const news = new EventEmitter();
const app = express();

app.get('/news', (req, res) => {
  const onNews = (item) => res.write(`data: ${item}\n\n`);
  news.on('item', onNews);
  res.on('close', () => {
    news.off('item', onNews);
  });
});

app.listen(3000);
