import type { StockLevels, StockLine } from '../../../shared/domain/product/inventory';
import type { InventoryStore } from '../../../shared/domain/product/product-ports';
import type { OrderReservation, ProductStock } from '../../../shared/domain/product/reservation';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';

/** A product's inventory row as a test sets it up; what is not given is 0 (the levels, the reorder level) or true. */
export interface MemoryStockSetup {
  readonly onHand?: number;
  readonly reserved?: number;
  readonly reorderLevel?: number;
  /** Live and active; false stands for a draft or archived product. */
  readonly sellable?: boolean;
}

/** A product's row as the memory store keeps it: its levels, and what the product row tells about it. */
export interface MemoryStockRow extends StockLevels {
  readonly reorderLevel: number;
  readonly active: boolean;
  readonly deleted: boolean;
}

/** InventoryStore in memory, with what a test needs to set up the products and read what was stored. */
export interface MemoryInventoryStore extends InventoryStore {
  /** The events recorded with each stored change. */
  readonly outbox: MemoryOutbox;
  /** Every product's row by id, deleted ones included (their row stays, as the soft delete leaves it). */
  readonly rows: ReadonlyMap<string, MemoryStockRow>;
  /** The orders' reservation records by order id, their lines in product-id order as the SQL store reads them. */
  readonly reservations: ReadonlyMap<string, OrderReservation>;
  /** Adds a product with its inventory row (what creating a product and restocking it would do). */
  addProduct(productId: string, setup?: MemoryStockSetup): void;
  /** Makes a product active (true) or a draft/archived one (false). */
  setSellable(productId: string, sellable: boolean): void;
  /** Deletes a product (softly): never sellable or found again, but its row stays for the reservations. */
  remove(productId: string): void;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
const levelsOf = (row: StockLevels): StockLevels => ({ onHand: row.onHand, reserved: row.reserved });
const stockOf = (row: MemoryStockRow): ProductStock => ({
  onHand: row.onHand,
  reserved: row.reserved,
  reorderLevel: row.reorderLevel,
  sellable: row.active && !row.deleted,
});
const byProductId = (a: StockLine, b: StockLine) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
const copyReservation = (reservation: OrderReservation): OrderReservation => ({
  orderId: reservation.orderId,
  state: reservation.state,
  lines: reservation.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
});

/**
 * Stock and reservations in maps, as sqlInventoryStore keeps them: each change reads, decides and stores in one
 * step (no await between them, so concurrent calls apply one after the other as the row locks make them);
 * `levels` and `adjust` know only live products; `changeForOrder` hands `decide` the stock of the given products
 * and of the record's lines (a deleted product's row included, not sellable; a product never added absent), and
 * the record's lines in product-id order; a record that exists gets its new state only (its lines stay), a new one
 * its lines (two of one product are refused, as the lines' primary key does); levels of a product with no row are
 * not stored (an UPDATE that matches no row). Events are recorded in `outbox` only when a change is stored: not
 * when `decide` throws or finds nothing to do.
 */
export function memoryInventoryStore(options: { readonly outbox?: MemoryOutbox } = {}): MemoryInventoryStore {
  const rows = new Map<string, MemoryStockRow>();
  const reservations = new Map<string, OrderReservation>();
  const outbox = options.outbox ?? memoryOutbox();

  const live = (productId: string) => {
    const row = rows.get(productId);
    return row && !row.deleted ? row : undefined;
  };
  const update = (productId: string, change: Partial<MemoryStockRow>) => {
    const row = rows.get(productId);
    if (!row) throw new Error(`no product ${productId} in the memory inventory store`);
    rows.set(productId, { ...row, ...change });
  };
  const storeLevels = (levels: ReadonlyMap<string, StockLevels>) => {
    for (const [productId, next] of levels) {
      if (rows.has(productId)) update(productId, levelsOf(next));
    }
  };

  return {
    outbox,
    rows,
    reservations,

    addProduct(productId, setup = {}) {
      if (rows.has(productId))
        throw new Error(`product ${productId} is already in the memory inventory store`);
      rows.set(productId, {
        onHand: setup.onHand ?? 0,
        reserved: setup.reserved ?? 0,
        reorderLevel: setup.reorderLevel ?? 0,
        active: setup.sellable ?? true,
        deleted: false,
      });
    },
    setSellable(productId, sellable) {
      update(productId, { active: sellable });
    },
    remove(productId) {
      update(productId, { deleted: true });
    },

    levels: (productId) =>
      later(() => {
        const row = live(productId);
        return row ? levelsOf(row) : undefined;
      }),

    levelsOf: (productIds) =>
      later(() => {
        // As the SQL store: every product with a row, a deleted one's included (its row stays).
        const found = new Map<string, StockLevels>();
        for (const id of productIds) {
          const row = rows.get(id);
          if (row) found.set(id, levelsOf(row));
        }
        return found;
      }),

    adjust: (productId, decide) =>
      later(() => {
        const row = live(productId);
        if (!row) return undefined;
        const { next, events } = decide(stockOf(row));
        // Events first: if the outbox refuses them, nothing is stored either (one transaction in SQL).
        outbox.record(events);
        storeLevels(new Map([[productId, next]]));
        return levelsOf(next);
      }),

    changeForOrder: (orderId, productIds, decide) =>
      later(() => {
        const stored = reservations.get(orderId);
        const current = stored ? copyReservation(stored) : undefined;
        const ids = [
          ...new Set([...productIds, ...(current?.lines ?? []).map((line) => line.productId)]),
        ].sort();
        const stock = new Map(
          ids.flatMap((productId) => {
            const row = rows.get(productId);
            return row ? [[productId, stockOf(row)] as const] : [];
          }),
        );
        const change = decide(current, stock);
        if (!change) return undefined;
        const lines = stored ? stored.lines : copyReservation(change.reservation).lines;
        if (new Set(lines.map((line) => line.productId)).size !== lines.length) {
          throw new Error(`the reservation of order ${orderId} names a product twice`);
        }
        outbox.record(change.events);
        reservations.set(orderId, {
          orderId,
          state: change.reservation.state,
          lines: [...lines].sort(byProductId),
        });
        storeLevels(change.levels);
        return change;
      }),
  };
}
