import {
  HISTORY_MAX_LIMIT,
  type HistoryEntry,
  type HistoryReadOptions,
  type HistoryStore,
} from './history-store';

export interface OffsetRead {
  /** Entries to skip, in read order. */
  readonly offset: number;
  /** Entries to return at most. */
  readonly limit: number;
  readonly order?: HistoryReadOptions['order'];
}

/**
 * Reads `limit` entries of a stream after skipping `offset`, for APIs that page by number. The store pages by cursor
 * (Cassandra has no offsets), so this walks the cursor pages, reading at most the store's largest page per
 * query: the cost grows with `offset + limit`. Callers bound it, e.g. by answering an offset past the stream's
 * count without reading.
 */
export async function readHistoryAtOffset(
  store: HistoryStore,
  stream: string,
  { offset, limit, order = 'newest-first' }: OffsetRead,
): Promise<HistoryEntry[]> {
  const items: HistoryEntry[] = [];
  let skip = offset;
  let cursor: string | undefined;
  while (items.length < limit) {
    const page = await store.read(stream, {
      order,
      limit: Math.min(HISTORY_MAX_LIMIT, skip + limit - items.length),
      ...(cursor === undefined ? {} : { cursor }),
    });
    items.push(...page.items.slice(skip, skip + limit - items.length));
    skip = Math.max(0, skip - page.items.length);
    if (page.nextCursor === undefined) break;
    cursor = page.nextCursor;
  }
  return items;
}
