// node:http: a listener on the keep-alive socket, removed when the response finishes (no leak).
import http from 'node:http';

http.createServer((req, res) => {
  const onClose = () => console.log('client went away during', req.url);
  req.socket.on('close', onClose);
  res.on('finish', () => req.socket.off('close', onClose));
  res.end('ok');
}).listen(3000);
