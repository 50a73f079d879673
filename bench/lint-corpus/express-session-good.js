// express-session done right: an external store, no session until something is stored (no leak).
import express from 'express';
import session from 'express-session';
import RedisStore from 'connect-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
await client.connect();
const app = express();

app.get('/health', (req, res) => res.send('ok'));

app.use(
  session({
    store: new RedisStore({ client }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
  }),
);

app.post('/login', express.json(), (req, res) => {
  req.session.userId = req.body.userId;
  res.sendStatus(204);
});

app.listen(3000);
