import {
  InventoryCommitted,
  InventoryLow,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { AppError } from '../../errors/app-error';
import { domainEvent, type NewDomainEvent } from '../domain-event';
import {
  commit,
  fellToReorderLevel,
  release,
  reserveAll,
  type StockLevels,
  type StockLine,
} from './inventory';

/**
 * Where an order stands with the stock, one record per order, so each saga step applies once whatever the order
 * and number of its deliveries: `reserved` holds units, `rejected` never did, `released` gave them back (or was
 * cancelled before it was ever placed), `committed` took them out of the stock.
 */
export type ReservationState = 'reserved' | 'rejected' | 'released' | 'committed';

export interface OrderReservation {
  readonly orderId: string;
  readonly state: ReservationState;
  /** The units it holds or held; empty when nothing was reserved. */
  readonly lines: readonly StockLine[];
}

/** A product's stock as a reservation sees it: levels, reorder level, and whether it can be sold now. */
export interface ProductStock extends StockLevels {
  readonly reorderLevel: number;
  /** Live and active: a deleted, draft or archived product cannot be reserved (but is released and committed). */
  readonly sellable: boolean;
}

/** What one saga step changes: the order's record, the levels of the products it touched, and the events. */
export interface ReservationChange {
  readonly reservation: OrderReservation;
  readonly levels: ReadonlyMap<string, StockLevels>;
  readonly events: readonly NewDomainEvent[];
}

const event = domainEvent;

/**
 * `com.ecom.inventory.low` for each product whose available stock fell to its reorder level by this change, from
 * `source` (the function that made the change).
 */
export function lowStockEvents(
  before: ReadonlyMap<string, Pick<ProductStock, 'onHand' | 'reserved' | 'reorderLevel'>>,
  after: ReadonlyMap<string, StockLevels>,
  now: Date,
  source: string = InventoryLow.source,
): NewDomainEvent[] {
  return [...after].flatMap(([productId, levels]) => {
    const was = before.get(productId);
    if (!was || !fellToReorderLevel(was, levels, was.reorderLevel)) return [];
    return [
      event(
        InventoryLow,
        productId,
        now,
        {
          productId,
          available: Math.max(levels.onHand - levels.reserved, 0),
          reorderLevel: was.reorderLevel,
          at: now.toISOString(),
        },
        source,
      ),
    ];
  });
}

/**
 * An order was placed: reserve every line, all or nothing. Nothing to do when the order already has a record
 * (a redelivery, or a cancellation that came first).
 */
export function placeReservation(
  order: { readonly orderId: string; readonly lines: readonly StockLine[] },
  current: OrderReservation | undefined,
  stock: ReadonlyMap<string, ProductStock>,
  now: Date,
): ReservationChange | undefined {
  if (current) return undefined;
  const sellable = new Map([...stock].filter(([, levels]) => levels.sellable));
  const result = reserveAll(order.lines, sellable);
  if ('short' in result) {
    return {
      reservation: { orderId: order.orderId, state: 'rejected', lines: [] },
      levels: new Map(),
      events: [
        event(InventoryRejected, order.orderId, now, {
          orderId: order.orderId,
          shortLines: result.short,
          rejectedAt: now.toISOString(),
        }),
      ],
    };
  }
  const lines = [...result.reserved].map(([productId, levels]) => ({
    productId,
    quantity: levels.reserved - (stock.get(productId)?.reserved ?? 0),
  }));
  return {
    reservation: { orderId: order.orderId, state: 'reserved', lines },
    levels: result.reserved,
    events: [
      event(InventoryReserved, order.orderId, now, {
        orderId: order.orderId,
        lines,
        reservedAt: now.toISOString(),
      }),
      ...lowStockEvents(stock, result.reserved, now),
    ],
  };
}

/**
 * An order was cancelled: a reservation it holds is released. A cancellation that arrives before its placement
 * leaves a `released` record, so the late placement reserves nothing. Otherwise there is nothing to do.
 */
export function releaseReservation(
  orderId: string,
  current: OrderReservation | undefined,
  stock: ReadonlyMap<string, ProductStock>,
  now: Date,
): ReservationChange | undefined {
  if (!current)
    return { reservation: { orderId, state: 'released', lines: [] }, levels: new Map(), events: [] };
  if (current.state !== 'reserved') return undefined;
  const levels = settle(current.lines, stock, release);
  return {
    reservation: { ...current, state: 'released' },
    levels,
    events: [
      event(InventoryReleased, orderId, now, {
        orderId,
        lines: current.lines,
        releasedAt: now.toISOString(),
      }),
    ],
  };
}

/**
 * An order was shipped: its reserved units leave the stock. Shipping needs the reservation first, so a shipment
 * that arrives before its placement is refused as not yet possible (503: the broker delivers it again later).
 */
export function commitReservation(
  orderId: string,
  current: OrderReservation | undefined,
  stock: ReadonlyMap<string, ProductStock>,
  now: Date,
): ReservationChange | undefined {
  if (!current) {
    throw new AppError(
      'unavailable',
      'INVENTORY.NOT_RESERVED_YET',
      'The order has no reservation yet; its shipment is taken once it has.',
      [],
      { retryAfterSeconds: 5 },
    );
  }
  if (current.state !== 'reserved') return undefined;
  const levels = settle(current.lines, stock, commit);
  return {
    reservation: { ...current, state: 'committed' },
    levels,
    events: [
      event(InventoryCommitted, orderId, now, {
        orderId,
        lines: current.lines,
        committedAt: now.toISOString(),
      }),
    ],
  };
}

function settle(
  lines: readonly StockLine[],
  stock: ReadonlyMap<string, ProductStock>,
  apply: (levels: StockLevels, quantity: number) => StockLevels,
): ReadonlyMap<string, StockLevels> {
  const levels = new Map<string, StockLevels>();
  for (const line of lines) {
    const current = stock.get(line.productId);
    // The inventory row goes with its product, which is never removed (deletes are soft): it is always there.
    if (current) levels.set(line.productId, apply(current, line.quantity));
  }
  return levels;
}
