import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';

/**
 * The meter everything in this project records with. Asked for at each use rather than kept, so it follows the
 * provider registered at start (start-metrics.ts); with metrics off it is the API's no-op meter.
 */
export function meter(): Meter {
  return metrics.getMeter('ecom');
}

/**
 * Instruments made by `make` from {@link meter}, once per global provider: made at first use, and again only when
 * another provider is registered (start-metrics.ts at start; a test turning metrics on and off). With metrics off
 * they are the API's no-op instruments, and recording costs a call.
 */
export function lazyInstruments<T>(make: (meter: Meter) => T): () => T {
  let made: { readonly provider: MeterProvider; readonly instruments: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (made?.provider !== provider) made = { provider, instruments: make(meter()) };
    return made.instruments;
  };
}

/**
 * The bucket boundaries, in seconds, the semantic conventions advise for `http.server.request.duration` and the
 * messaging durations: 5 ms to 10 s.
 */
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Seconds since `startedAt`, a `performance.now()` reading. */
export const secondsSince = (startedAt: number): number => (performance.now() - startedAt) / 1000;
