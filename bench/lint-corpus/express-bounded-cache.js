// express: a cache with a size check and eviction of the oldest entry (bounded: no leak).
import express from 'express';

const app = express();
const MAX_ENTRIES = 500;
const thumbnails = new Map();

function putThumbnail(key, value) {
  if (thumbnails.size >= MAX_ENTRIES) {
    const oldest = thumbnails.keys().next().value;
    thumbnails.delete(oldest);
  }
  thumbnails.set(key, value);
}

app.get('/thumb/:id', (req, res) => {
  let thumb = thumbnails.get(req.params.id);
  if (thumb === undefined) {
    thumb = `thumbnail of ${req.params.id}`;
    putThumbnail(req.params.id, thumb);
  }
  res.send(thumb);
});

app.listen(3000);
