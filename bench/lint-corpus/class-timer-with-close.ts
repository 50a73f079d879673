// A class keeps its interval handle and clears it in close() (no leak).
export class MetricsFlusher {
  private readonly timer: NodeJS.Timeout;
  private buffer: number[] = [];

  constructor(private readonly sink: (values: number[]) => void) {
    this.timer = setInterval(() => this.flush(), 10_000);
  }

  add(value: number): void {
    this.buffer.push(value);
  }

  flush(): void {
    this.sink(this.buffer);
    this.buffer = [];
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
