// A poller class starts an interval in its constructor and offers no way to stop it; every instance lives forever.
export class ConfigPoller {
  private config: Record<string, string> = {};

  constructor(private readonly url: string) {
    setInterval(() => { // leak: require-interval-cleanup
      void this.refresh();
    }, 5_000);
  }

  private async refresh(): Promise<void> {
    const response = await fetch(this.url);
    this.config = (await response.json()) as Record<string, string>;
  }

  get(key: string): string | undefined {
    return this.config[key];
  }
}
