// NestJS: a singleton cache service with an unbounded Map filled by its callers.
import { Injectable } from '@nestjs/common';

@Injectable()
export class QuoteCacheService {
  private readonly quotes = new Map<string, number>();

  remember(symbol: string, price: number): void {
    this.quotes.set(symbol, price); // leak: no-module-state-per-request
  }

  lookup(symbol: string): number | undefined {
    return this.quotes.get(symbol);
  }
}
