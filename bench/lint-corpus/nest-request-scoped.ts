// NestJS: a REQUEST-scoped provider is created per request, so its array dies with it (no leak).
import { Controller, Get, Injectable, Scope } from '@nestjs/common';

@Injectable({ scope: Scope.REQUEST })
export class RequestTimings {
  private readonly marks: Array<{ label: string; at: number }> = [];

  mark(label: string): void {
    this.marks.push({ label, at: performance.now() });
  }
}

@Controller('report')
export class ReportController {
  constructor(private readonly timings: RequestTimings) {}

  @Get()
  build() {
    this.timings.mark('start');
    return { ok: true };
  }
}
