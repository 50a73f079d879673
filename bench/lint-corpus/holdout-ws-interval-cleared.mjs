// ws: a heartbeat interval per connection, cleared when the socket closes (no leak).
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 3001 });
wss.on('connection', (ws) => {
  const heartbeat = setInterval(() => ws.ping(), 30_000);
  ws.on('close', () => clearInterval(heartbeat));
});
