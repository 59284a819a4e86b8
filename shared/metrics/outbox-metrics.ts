import type { ObservableGauge } from '@opentelemetry/api';
import { lazyInstruments } from './meter';

const instruments = lazyInstruments((meter) => ({
  depth: meter.createObservableGauge('ecom.outbox.depth', {
    unit: '{event}',
    description:
      'Committed events not yet published (outbox rows without published_at), as the relay sees them.',
  }),
}));

/** The outboxes observed, by the gauge that observes them: once per outbox and provider. */
const observed = new WeakMap<object, ObservableGauge>();

/**
 * Reports `ecom.outbox.depth` from `count` (the unpublished rows of the outbox `outbox` names) at each collection.
 * The callback runs only when a reader collects, so with metrics off nothing is ever counted: this costs a query
 * per export interval only where metrics are on, and only in the process that called it (the service's outbox
 * relay: shared/kit/outbox.ts). A count that fails (the database down, or closed at shutdown) reports nothing that
 * time.
 */
export function observeOutboxDepth(outbox: object, count: () => Promise<number>): void {
  const { depth } = instruments();
  if (observed.get(outbox) === depth) return;
  observed.set(outbox, depth);
  depth.addCallback(async (result) => {
    try {
      result.observe(await count());
    } catch {
      // Nothing observed: a gap in the series, where a made-up value would mislead.
    }
  });
}
