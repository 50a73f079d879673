// express: an lru-cache with max entries, keyed by URL parameter (bounded: no leak).
import express from 'express';
import { LRUCache } from 'lru-cache';

const app = express();
const pages = new LRUCache<string, string>({ max: 500 });

app.get('/pages/:slug', (req, res) => {
  const slug = req.params.slug;
  let html = pages.get(slug);
  if (html === undefined) {
    html = `<h1>${slug}</h1>`;
    pages.set(slug, html);
  }
  res.send(html);
});

app.listen(3000);
