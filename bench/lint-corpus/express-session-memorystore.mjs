// express-session with an explicit MemoryStore in production code.
import express from 'express';
import session from 'express-session';

const app = express();
app.use(
  session({
    store: new session.MemoryStore(), // leak: no-eager-session
    secret: 'keyboard cat',
    resave: false,
    saveUninitialized: false,
  }),
);

app.get('/', (req, res) => res.send('hi'));
app.listen(3000);
