import { z } from 'zod';
import { defineEvent } from './event-definition';

const source = '/ecom/product/reserve-inventory';
const at = z.iso.datetime({ offset: true });

/**
 * A product's units in a reservation: an order's lines of one product summed, so more than one order line may
 * hold (an order line is at most 10,000 units).
 */
const StockLine = z.object({ productId: z.uuid(), quantity: z.number().int().min(1) }).strict();

/** Stock was reserved for every line of an order. Consumers: the order saga (the order, its charge); the ledger. */
export const InventoryReserved = defineEvent({
  type: 'com.ecom.inventory.reserved',
  source,
  description: 'Stock was reserved for every line of an order.',
  data: z.object({ orderId: z.uuid(), lines: z.array(StockLine).min(1), reservedAt: at }).strict(),
});
export type InventoryReservedData = z.infer<typeof InventoryReserved.data>;

/** An order could not be reserved: the lines that were short. Nothing was reserved. Consumers: the order saga. */
export const InventoryRejected = defineEvent({
  type: 'com.ecom.inventory.rejected',
  source,
  description: 'Stock could not be reserved for an order; nothing was reserved.',
  data: z
    .object({
      orderId: z.uuid(),
      shortLines: z
        .array(
          z
            .object({
              productId: z.uuid(),
              quantity: z.number().int().min(1),
              available: z.number().int().min(0),
            })
            .strict(),
        )
        .min(1),
      rejectedAt: at,
    })
    .strict(),
});
export type InventoryRejectedData = z.infer<typeof InventoryRejected.data>;

/** An order's reservation was released (the order was cancelled). Consumers: the stock ledger. */
export const InventoryReleased = defineEvent({
  type: 'com.ecom.inventory.released',
  source,
  description: "An order's reserved stock was freed.",
  data: z.object({ orderId: z.uuid(), lines: z.array(StockLine).min(1), releasedAt: at }).strict(),
});
export type InventoryReleasedData = z.infer<typeof InventoryReleased.data>;

/** An order's reservation was committed (the order shipped): the units left the stock. Consumers: the ledger. */
export const InventoryCommitted = defineEvent({
  type: 'com.ecom.inventory.committed',
  source,
  description: "An order's reserved stock left the stock on hand.",
  data: z.object({ orderId: z.uuid(), lines: z.array(StockLine).min(1), committedAt: at }).strict(),
});
export type InventoryCommittedData = z.infer<typeof InventoryCommitted.data>;

/** An admin adjusted a product's stock on hand. Consumers: the stock ledger. */
export const InventoryAdjusted = defineEvent({
  type: 'com.ecom.inventory.adjusted',
  source: '/ecom/product/adjust-inventory',
  description: "An admin changed a product's stock on hand.",
  data: z
    .object({
      productId: z.uuid(),
      delta: z.number().int(),
      reason: z.enum(['restock', 'shrinkage', 'correction', 'return']),
      note: z.string().max(500).optional(),
      onHand: z.number().int().min(0),
      reserved: z.number().int().min(0),
      adjustedAt: at,
    })
    .strict(),
});
export type InventoryAdjustedData = z.infer<typeof InventoryAdjusted.data>;

/** A product's available stock fell to its reorder level or below. Consumers: none yet (a buyer's alert). */
export const InventoryLow = defineEvent({
  type: 'com.ecom.inventory.low',
  source,
  description: "A product's available stock fell to its reorder level or below.",
  data: z
    .object({
      productId: z.uuid(),
      available: z.number().int().min(0),
      reorderLevel: z.number().int().min(0),
      at,
    })
    .strict(),
});
export type InventoryLowData = z.infer<typeof InventoryLow.data>;
