// express: a 'close' listener on the keep-alive socket per request; the socket outlives the request, so
// listeners pile up on it (Node prints MaxListenersExceededWarning after 10 requests on one connection).
const express = require('express');

const app = express();

app.get('/slow', (req, res) => {
  let aborted = false;
  req.socket.on('close', () => { // leak: no-listener-per-request
    aborted = true;
  });
  setTimeout(() => { if (!aborted) res.send('done'); }, 100);
});

app.listen(3000);
