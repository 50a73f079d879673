// express: a hand-written LRU on a Map (delete + re-insert on hit, evict the oldest past 100) (no leak).
const express = require('express');

const app = express();
const avatars = new Map();

function getAvatar(user) {
  if (avatars.has(user)) {
    const hit = avatars.get(user);
    avatars.delete(user);
    avatars.set(user, hit);
    return hit;
  }
  const svg = `<svg><text>${user.slice(0, 2)}</text></svg>`;
  avatars.set(user, svg);
  if (avatars.size > 100) avatars.delete(avatars.keys().next().value);
  return svg;
}

app.get('/avatar/:user', (req, res) => res.type('svg').send(getAvatar(req.params.user)));
app.listen(3000);
