// express with cookie-session: the session lives in the cookie, nothing is kept on the server (no leak).
const express = require('express');
const cookieSession = require('cookie-session');

const app = express();
app.use(cookieSession({ name: 'session', keys: [process.env.KEY], maxAge: 86_400_000 }));
app.get('/health', (req, res) => res.send('ok'));
app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1;
  res.send(String(req.session.views));
});
app.listen(3000);
