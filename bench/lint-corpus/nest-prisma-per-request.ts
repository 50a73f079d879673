// NestJS: a PrismaClient created inside a route handler, one connection pool per request.
import { Controller, Get, Param } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Controller('orders')
export class OrdersController {
  @Get(':id')
  async find(@Param('id') id: string) {
    const prisma = new PrismaClient(); // leak: no-client-per-request
    return prisma.order.findUnique({ where: { id } });
  }
}
