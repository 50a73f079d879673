// express-session with connect-mongo and saveUninitialized false (no leak).
const express = require('express');
const session = require('express-session');
const MongoStore = require('connect-mongo');

const app = express();
app.use(session({
  secret: process.env.SECRET,
  resave: false,
  saveUninitialized: false,
  store: MongoStore.create({ mongoUrl: process.env.MONGO_URL }),
}));
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);
