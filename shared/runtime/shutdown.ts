/**
 * Resources to release when the process stops (SIGTERM from Knative when scaling down): connection pools,
 * Kafka producers, Cassandra clients. Registered by whoever opens them, released in reverse order.
 */
const hooks: { name: string; close: () => Promise<void> }[] = [];

export function onShutdown(name: string, close: () => Promise<void>): void {
  hooks.push({ name, close });
}

/**
 * Runs every hook once, newest first; one failing hook does not keep the others from running. A hook registered
 * while closing (a producer that work finishing during shutdown opened) runs too, after the others.
 */
export async function runShutdownHooks(report: (name: string, error: unknown) => void): Promise<void> {
  while (hooks.length > 0) {
    for (const { name, close } of hooks.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        report(name, error);
      }
    }
  }
}
