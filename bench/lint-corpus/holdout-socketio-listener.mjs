// socket.io: every connection subscribes to a shared Redis client and never unsubscribes on disconnect.
import { Server } from 'socket.io';
import Redis from 'ioredis';

const sub = new Redis();
const io = new Server(3001);

io.on('connection', (socket) => {
  sub.on('message', (channel, message) => { // leak: no-listener-per-request
    socket.emit('message', { channel, message });
  });
});
