// express-session configured well, but the health check reads req.session, which loads or creates one per probe.
import express from 'express';
import session from 'express-session';
import RedisStore from 'connect-redis';
import { createClient } from 'redis';

const redis = createClient();
await redis.connect();
const app = express();
app.use(session({ store: new RedisStore({ client: redis }), secret: 's3cret', resave: false, saveUninitialized: false }));

app.get('/healthz', (req, res) => {
  const user = req.session.userId; // leak: no-eager-session
  res.json({ ok: true, user: user ?? null });
});

app.listen(3000);
