// NestJS: a default-scoped (singleton) controller stores the request in a field.
import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('profile')
export class ProfileController {
  private currentRequest?: Request;

  @Get()
  show(@Req() req: Request) {
    this.currentRequest = req; // leak: no-request-in-long-lived
    return { user: this.currentRequest.headers['x-user'] };
  }
}
