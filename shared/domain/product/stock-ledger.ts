import { z } from 'zod';
import type {
  InventoryAdjustedData,
  InventoryCommittedData,
  InventoryReleasedData,
  InventoryReservedData,
} from '../../../events/inventory-events';
import type { HistoryEntry } from '../history-store';

/** What moved a product's stock. */
export const MovementKind = z.enum(['adjusted', 'reserved', 'released', 'committed']);
export type MovementKind = z.infer<typeof MovementKind>;

/** One movement as the ledger keeps it: the change of each level, and why. */
export const Movement = z.object({
  onHandDelta: z.number().int(),
  reservedDelta: z.number().int(),
  orderId: z.uuid().optional(),
  reason: z.string().optional(),
  note: z.string().optional(),
});
export type Movement = z.infer<typeof Movement>;

/** One ledger entry to write: the product's stream, and the entry (its id the event's, so a replay rewrites it). */
export interface LedgerWrite {
  readonly productId: string;
  readonly entry: HistoryEntry;
}

type InventoryEvent =
  | { readonly kind: 'adjusted'; readonly data: InventoryAdjustedData }
  | { readonly kind: 'reserved'; readonly data: InventoryReservedData }
  | { readonly kind: 'released'; readonly data: InventoryReleasedData }
  | { readonly kind: 'committed'; readonly data: InventoryCommittedData };

/** The ledger entries one inventory event makes: one per product it moved. */
export function ledgerWrites(eventId: string, time: Date, event: InventoryEvent): readonly LedgerWrite[] {
  const write = (productId: string, movement: Movement): LedgerWrite => ({
    productId,
    entry: { id: eventId, time, kind: event.kind, data: movement },
  });
  switch (event.kind) {
    case 'adjusted':
      return [
        write(event.data.productId, {
          onHandDelta: event.data.delta,
          reservedDelta: 0,
          reason: event.data.reason,
          ...(event.data.note === undefined ? {} : { note: event.data.note }),
        }),
      ];
    case 'reserved':
      return event.data.lines.map((line) =>
        write(line.productId, { onHandDelta: 0, reservedDelta: line.quantity, orderId: event.data.orderId }),
      );
    case 'released':
      return event.data.lines.map((line) =>
        write(line.productId, { onHandDelta: 0, reservedDelta: -line.quantity, orderId: event.data.orderId }),
      );
    case 'committed':
      return event.data.lines.map((line) =>
        write(line.productId, {
          onHandDelta: -line.quantity,
          reservedDelta: -line.quantity,
          orderId: event.data.orderId,
        }),
      );
  }
}

/** A ledger entry as the API answers it. */
export const MovementView = z
  .object({
    id: z.string(),
    kind: z.string().meta({
      description: 'adjusted, reserved, released or committed; an entry of another kind shows as it is.',
    }),
    at: z.iso.datetime(),
    ...Movement.shape,
  })
  .meta({ id: 'StockMovement' });
export type MovementView = z.infer<typeof MovementView>;

export function movementView(entry: HistoryEntry): MovementView {
  // An entry this version cannot read (written by hand, or by a broken release) still shows.
  const movement = Movement.safeParse(entry.data);
  return {
    id: entry.id,
    kind: entry.kind,
    at: entry.time.toISOString(),
    ...(movement.success ? movement.data : { onHandDelta: 0, reservedDelta: 0 }),
  };
}
