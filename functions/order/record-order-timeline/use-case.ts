import type { OrderChangedData } from '../../../events/order-events';
import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Handled } from '../../../shared/domain/once-per-event';

/**
 * Writes one step to its order's timeline. The entry is keyed by the event's id in the order's stream, so a
 * redelivered event rewrites the same entry: the timeline needs no other guard against duplicates.
 */
export async function recordTimelineStep(
  timeline: HistoryStore,
  event: { readonly id: string; readonly data: OrderChangedData },
): Promise<Handled> {
  const { orderId, step, status, detail, changedAt } = event.data;
  await timeline.append(orderId, {
    id: event.id,
    time: new Date(changedAt),
    kind: step,
    data: { status, detail },
  });
  return 'processed';
}
