// ws: a ping interval per WebSocket connection that nothing ever clears.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 3001 });

wss.on('connection', (socket) => {
  setInterval(() => socket.ping(), 30_000); // leak: no-interval-per-request
  socket.on('message', (data) => socket.send(data));
});
