// NestJS: a streaming route subscribes to the injected (application-wide) event emitter and never unsubscribes.
import { Controller, Get, Res } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Response } from 'express';

@Controller('orders')
export class OrderStreamController {
  constructor(private readonly events: EventEmitter2) {}

  @Get('stream')
  stream(@Res() res: Response) {
    res.setHeader('content-type', 'text/event-stream');
    this.events.on('order.created', (order: { id: string }) => { // leak: no-listener-per-request
      res.write(`data: ${order.id}\n\n`);
    });
  }
}
