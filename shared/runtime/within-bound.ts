/**
 * `work`, or nothing after `ms`: what a stopping process waits for at most, so that a collector that does not answer
 * cannot hold a pod past its grace period (the telemetry flushes at shutdown: start-tracing.ts, start-metrics.ts).
 * Rejects when `work` does within the bound.
 */
export function withinBound(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
