// node:http: server-sent events; response objects are collected but never removed on disconnect.
const http = require('node:http');

const subscribers = [];

http.createServer((req, res) => {
  if (req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    subscribers.push(res); // leak: no-request-in-long-lived
    return;
  }
  for (const s of subscribers) s.write(`data: ${req.url}\n\n`);
  res.end('sent');
}).listen(3000);
