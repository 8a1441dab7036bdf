import type { Logger } from "../http/router.js";

/**
 * Runs `tick` again and again: at once when it reports more work, after `intervalMs` otherwise,
 * or sooner when woken. `stop()` resolves after the tick in progress has finished.
 */
export class Loop {
  private running = false;
  private woken = false;
  private sleeper: (() => void) | undefined;
  private done: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<boolean>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Runs the next tick now instead of after the interval. */
  wake(): void {
    this.woken = true;
    this.sleeper?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let more = false;
      try {
        more = await this.tick();
      } catch (err) {
        this.log.error(`${this.name} failed`, { error: (err as Error).message });
      }
      if (!this.running) break;
      if (more || this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, this.intervalMs);
        function finish() {
          clearTimeout(timer);
          resolve();
        }
        this.sleeper = finish;
      });
      this.sleeper = undefined;
    }
  }
}
