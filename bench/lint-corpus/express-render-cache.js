// express: rendered pages memoized by a URL parameter, with no bound on the number of keys.
const express = require('express');

const app = express();
const rendered = new Map();

function render(slug) {
  return `<h1>${slug}</h1>`;
}

app.get('/p/:slug', (req, res) => {
  if (rendered.has(req.params.slug)) return res.send(rendered.get(req.params.slug));
  const html = render(req.params.slug);
  rendered.set(req.params.slug, html); // leak: no-unbounded-memoize
  res.send(html);
});

app.listen(3000);
