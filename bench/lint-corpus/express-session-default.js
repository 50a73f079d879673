// express-session with the defaults: a session per cookie-less request, kept in the process's MemoryStore.
const express = require('express');
const session = require('express-session');

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false })); // leak: no-eager-session

app.get('/', (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1;
  res.send(`views: ${req.session.views}`);
});

app.listen(3000);
