/**
 * The history store port: append-only, time-ordered entries read by key. It backs the order timeline, the
 * notification inboxes and the stock-movement ledger. Cassandra implements it on the cluster, SQL in the
 * embedded local stack; both pass the same contract suite (test/integration/history-store.test.ts).
 */

/** Page size when the caller gives none. */
export const HISTORY_DEFAULT_LIMIT = 50;
/** Largest page a caller may ask for: it bounds the work (and the response size) of one request. */
export const HISTORY_MAX_LIMIT = 500;

/** One entry of a history stream. */
export interface HistoryEntry {
  /**
   * Unique within its stream. Use the id of the event that caused the entry: a replayed event then rewrites
   * the same entry instead of adding a second one.
   */
  readonly id: string;
  /** When it happened (the event's time), kept to the millisecond. */
  readonly time: Date;
  /** What happened, e.g. `order.placed` or `notification.welcome`. */
  readonly kind: string;
  /** JSON-serialisable details. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface HistoryReadOptions {
  /** Page size, 1..500; default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string;
  /** Default `newest-first`. */
  readonly order?: 'newest-first' | 'oldest-first';
}

export interface HistoryPage {
  readonly items: HistoryEntry[];
  /** Opaque; present when more entries may follow. */
  readonly nextCursor?: string;
}

export interface HistoryStore {
  /** Adds an entry, or rewrites the entry with the same stream and id (idempotent under replay). */
  append(stream: string, entry: HistoryEntry): Promise<void>;
  /** Entries of one stream ordered by time, then id. */
  read(stream: string, options?: HistoryReadOptions): Promise<HistoryPage>;
  /** Number of entries in one stream. */
  count(stream: string): Promise<number>;
}
