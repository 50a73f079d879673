// express: an https.Agent created lazily on first use and then shared (no leak).
const express = require('express');
const https = require('node:https');

let agent;
function sharedAgent() {
  if (!agent) agent = new https.Agent({ keepAlive: true });
  return agent;
}

const app = express();
app.get('/proxy', (req, res) => {
  https.get({ host: 'example.com', path: req.query.path, agent: sharedAgent() }, (up) => up.pipe(res));
});
app.listen(3000);
