import {
  decodeHistoryCursor,
  encodeHistoryCursor,
  type HistoryOrder,
  type HistoryPosition,
} from './history-cursor';
import { HistoryInputError } from './history-errors';
import {
  HISTORY_DEFAULT_LIMIT,
  HISTORY_MAX_LIMIT,
  type HistoryEntry,
  type HistoryPage,
  type HistoryReadOptions,
} from '../domain/history-store';

/**
 * A validated read, the one ordering rule every backend implements:
 * - `newest-first`: time descending, then id descending; after a cursor, entries strictly before its (time, id).
 * - `oldest-first`: time ascending, then id ascending; after a cursor, entries strictly after its (time, id).
 * Backends fetch `limit + 1` rows in that order and hand them to {@link toHistoryPage}.
 */
export interface HistoryReadPlan {
  readonly order: HistoryOrder;
  readonly limit: number;
  readonly after?: HistoryPosition;
}

/** Validates read options and applies the defaults; throws {@link HistoryInputError} for a bad limit, order or cursor. */
export function planHistoryRead(options: HistoryReadOptions = {}): HistoryReadPlan {
  const limit = options.limit ?? HISTORY_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
    throw new HistoryInputError(
      'HISTORY.INVALID_READ_OPTIONS',
      `limit must be an integer from 1 to ${HISTORY_MAX_LIMIT}, got ${String(limit)}`,
    );
  }
  // Checked at run time too: the order often comes straight from a query string.
  const order: string = options.order ?? 'newest-first';
  if (order !== 'newest-first' && order !== 'oldest-first') {
    throw new HistoryInputError(
      'HISTORY.INVALID_READ_OPTIONS',
      `order must be newest-first or oldest-first, got ${order}`,
    );
  }
  if (options.cursor === undefined) return { order, limit };
  return { order, limit, after: decodeHistoryCursor(order, options.cursor) };
}

/**
 * Builds a page from up to `limit + 1` entries fetched in plan order: the extra entry only tells that more follow,
 * so the last page has no cursor instead of one that leads to an empty page.
 */
export function toHistoryPage(plan: HistoryReadPlan, fetched: readonly HistoryEntry[]): HistoryPage {
  const items = fetched.slice(0, plan.limit);
  const last = items.at(-1);
  if (fetched.length <= plan.limit || last === undefined) return { items };
  return { items, nextCursor: encodeHistoryCursor(plan.order, last) };
}
