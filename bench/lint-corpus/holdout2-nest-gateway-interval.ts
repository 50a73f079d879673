// NestJS gateway: a ping interval per WebSocket client in handleConnection, never cleared.
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { Socket } from 'socket.io';

@WebSocketGateway()
export class ChatGateway implements OnGatewayConnection {
  handleConnection(client: Socket): void {
    setInterval(() => client.emit('ping', Date.now()), 10_000); // leak: no-interval-per-request
  }
}
