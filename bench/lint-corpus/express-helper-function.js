// express: the handler calls a helper that stores every user object in a module-level object.
import express from 'express';

const app = express();
app.use(express.json());
const usersById = {};

function remember(user) {
  usersById[user.id] = user; // leak: no-module-state-per-request
}

app.post('/login', (req, res) => {
  const user = { id: req.body.id, name: req.body.name, loggedInAt: new Date() };
  remember(user);
  res.json(user);
});

app.listen(3000);
