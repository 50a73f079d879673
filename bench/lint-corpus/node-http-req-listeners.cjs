// node:http: listeners on the request and response themselves die with the request (no leak).
const http = require('node:http');

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.once('end', () => {
    res.end(`got ${Buffer.concat(chunks).length} bytes`);
  });
  res.on('finish', () => {
    console.log(req.method, req.url, res.statusCode);
  });
}).listen(3000);
