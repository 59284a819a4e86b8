import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Handled } from '../../../shared/domain/once-per-event';
import { ledgerWrites } from '../../../shared/domain/product/stock-ledger';

type LedgerEvent = Parameters<typeof ledgerWrites>[2];

/**
 * Writes the ledger entries of one inventory event. Each entry is keyed by the event's id in its product's stream,
 * so a redelivered event rewrites the same entries: the ledger needs no other guard against duplicates.
 */
export async function recordMovements(
  ledger: HistoryStore,
  event: { readonly id: string; readonly time: Date } & LedgerEvent,
): Promise<Handled> {
  const writes = ledgerWrites(event.id, event.time, event);
  await Promise.all(writes.map((write) => ledger.append(write.productId, write.entry)));
  return 'processed';
}
