import { z } from 'zod';
import { HISTORY_BOUNDS, isHistoryTime } from './history-entry-codec';
import { InvalidCursorError } from './history-errors';
import type { HistoryReadOptions } from '../domain/history-store';

/** The two read orders; `newest-first` is the default. */
export type HistoryOrder = NonNullable<HistoryReadOptions['order']>;

/** Where a page ended: the time and id of its last entry. The next page starts strictly after it. */
export interface HistoryPosition {
  readonly time: Date;
  readonly id: string;
}

/**
 * The cursor is a keyset position, not a driver page state, so every backend reads the same cursor and a cursor
 * stays valid while entries are appended. It is base64url JSON: opaque to clients, but it is not signed, so it
 * is validated like any input. It carries the order it was made for: replaying it in the other order would
 * silently skip entries.
 */
const CursorPayload = z
  .object({
    v: z.literal(1),
    o: z.enum(['n', 'o']),
    t: z.number().refine(isHistoryTime, 'not a history time'),
    i: z.string().min(1).max(HISTORY_BOUNDS.idLength),
  })
  .strict();

const ORDER_CODES = { 'newest-first': 'n', 'oldest-first': 'o' } as const;
// An id of 100 characters of 4-byte UTF-8, JSON-escaped and base64-encoded, stays below this.
const MAX_CURSOR_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Makes the cursor of a page that ended at `position`. */
export function encodeHistoryCursor(order: HistoryOrder, position: HistoryPosition): string {
  const payload: z.infer<typeof CursorPayload> = {
    v: 1,
    o: ORDER_CODES[order],
    t: position.time.getTime(),
    i: position.id,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Reads a cursor back; throws {@link InvalidCursorError} for anything {@link encodeHistoryCursor} did not make. */
export function decodeHistoryCursor(order: HistoryOrder, cursor: string): HistoryPosition {
  // Node's base64 decoder skips characters it does not know: check the alphabet first so garbage cannot decode.
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError('not a cursor this store made');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor this store made');
  }
  const parsed = CursorPayload.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('not a cursor this store made');
  if (parsed.data.o !== ORDER_CODES[order]) {
    throw new InvalidCursorError(`the cursor belongs to a read in the other order than ${order}`);
  }
  return { time: new Date(parsed.data.t), id: parsed.data.i };
}
