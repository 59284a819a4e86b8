import { InventoryAdjusted } from '../../../events/inventory-events';
import { readHistoryAtOffset } from '../../../shared/domain/history-offset-read';
import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Page, PageQuery } from '../../../shared/domain/pagination';
import { movementView, type MovementView } from '../../../shared/domain/product/stock-ledger';
import {
  adjust,
  levelsView,
  type AdjustmentInput,
  type LevelsView,
} from '../../../shared/domain/product/inventory';
import { productNotFound } from '../../../shared/domain/product/product';
import type { InventoryStore } from '../../../shared/domain/product/product-ports';
import { domainEvent } from '../../../shared/domain/domain-event';
import { lowStockEvents } from '../../../shared/domain/product/reservation';

export interface AdjustStockDeps {
  readonly inventory: InventoryStore;
  readonly now: () => Date;
}

/**
 * Changes a product's stock on hand under its row lock and records `com.ecom.inventory.adjusted` (and
 * `com.ecom.inventory.low` when available stock falls to the reorder level). Taking on hand below what is reserved
 * is a 409 that changes nothing.
 */
export async function adjustStock(
  deps: AdjustStockDeps,
  productId: string,
  input: AdjustmentInput,
): Promise<LevelsView> {
  const now = deps.now();
  const next = await deps.inventory.adjust(productId, (current) => {
    const levels = adjust(current, input.delta);
    const adjusted = domainEvent(InventoryAdjusted, productId, now, {
      productId,
      delta: input.delta,
      reason: input.reason,
      ...(input.note === undefined ? {} : { note: input.note }),
      onHand: levels.onHand,
      reserved: levels.reserved,
      adjustedAt: now.toISOString(),
    });
    const low = lowStockEvents(
      new Map([[productId, current]]),
      new Map([[productId, levels]]),
      now,
      InventoryAdjusted.source,
    );
    const events = [adjusted, ...low];
    return { next: levels, events };
  });
  if (!next) throw productNotFound();
  return levelsView(productId, next);
}

/** A product's levels now (404 for a product that does not exist or was deleted). */
export async function stockLevels(inventory: InventoryStore, productId: string): Promise<LevelsView> {
  const levels = await inventory.levels(productId);
  if (!levels) throw productNotFound();
  return levelsView(productId, levels);
}

/**
 * One page of a product's stock ledger, newest first, with the total. The ledger is kept from the events, so the
 * latest movement shows once its event went through (moments after the change). A product that does not exist is
 * 404; a page past the end is empty.
 */
export async function stockMovements(
  ports: { readonly inventory: InventoryStore; readonly ledger: HistoryStore },
  productId: string,
  query: PageQuery,
): Promise<Page<MovementView>> {
  if (!(await ports.inventory.levels(productId))) throw productNotFound();
  const total = await ports.ledger.count(productId);
  const offset = (query.page - 1) * query.pageSize;
  const entries =
    offset >= total
      ? []
      : await readHistoryAtOffset(ports.ledger, productId, { offset, limit: query.pageSize });
  return { items: entries.map(movementView), page: query.page, pageSize: query.pageSize, total };
}
