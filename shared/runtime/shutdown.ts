/**
 * Resources to release when a function stops (SIGTERM from Knative when scaling down): connection pools, Kafka
 * producers, Cassandra clients. Registered by whoever opens them, released in reverse order.
 */
export class ShutdownHooks {
  private readonly hooks: { name: string; close: () => Promise<void> }[] = [];

  add(name: string, close: () => Promise<void>): void {
    this.hooks.push({ name, close });
  }

  /**
   * Runs every hook once, newest first; one failing hook does not keep the others from running. A hook registered
   * while closing (a producer that work finishing during shutdown opened) runs too, after the others.
   */
  async run(report: (name: string, error: unknown) => void): Promise<void> {
    while (this.hooks.length > 0) {
      for (const { name, close } of this.hooks.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          report(name, error);
        }
      }
    }
  }
}

/** The process's own hooks, for what is opened outside a function instance; run last at shutdown. */
export const processShutdown = new ShutdownHooks();

export function onShutdown(name: string, close: () => Promise<void>): void {
  processShutdown.add(name, close);
}

export function runShutdownHooks(report: (name: string, error: unknown) => void): Promise<void> {
  return processShutdown.run(report);
}
