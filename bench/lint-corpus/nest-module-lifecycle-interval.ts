// NestJS: a service starts its interval in onModuleInit and clears it in onModuleDestroy (no leak).
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

@Injectable()
export class CacheSweeper implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private readonly entries = new Map<string, number>();

  onModuleInit(): void {
    this.timer = setInterval(() => this.sweep(), 30_000);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, expiresAt] of this.entries) if (expiresAt < now) this.entries.delete(key);
  }

  put(key: string, ttlMs: number): void {
    this.entries.set(key, Date.now() + ttlMs);
  }
}
