// NestJS: a singleton service (default scope) keeps every audit entry in a class field.
import { Controller, Get, Injectable, Req } from '@nestjs/common';
import type { Request } from 'express';

interface AuditEntry { path: string; at: number }

@Injectable()
export class AuditService {
  private readonly entries: AuditEntry[] = [];

  record(path: string): void {
    this.entries.push({ path, at: Date.now() }); // leak: no-module-state-per-request
  }

  count(): number {
    return this.entries.length;
  }
}

@Controller('items')
export class ItemsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Req() req: Request) {
    this.audit.record(req.path);
    return [];
  }
}
