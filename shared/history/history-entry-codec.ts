import { HistoryInputError } from './history-errors';
import type { HistoryEntry } from '../domain/history-store';

/**
 * Bounds every store enforces, so that an entry one backend accepts is accepted by all of them: the lengths are
 * the SQL column sizes, the time range is MySQL's DATETIME range (and keeps ISO-8601 text sortable in SQLite).
 */
export const HISTORY_BOUNDS = {
  streamLength: 191,
  idLength: 100,
  kindLength: 100,
  /** Of the JSON text of `data`, in UTF-8 bytes (a MySQL TEXT column). Entries are details, not documents. */
  dataBytes: 65_535,
  minTimeMs: Date.UTC(1000, 0, 1),
  maxTimeMs: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
} as const;

/** An entry as a store keeps it: `data` serialised to JSON. */
export interface StoredHistoryEntry {
  readonly id: string;
  readonly time: Date;
  readonly kind: string;
  readonly data: string;
}

function checkText(
  value: string,
  max: number,
  code: 'HISTORY.INVALID_STREAM' | 'HISTORY.INVALID_ENTRY',
  what: string,
) {
  if (value.length === 0 || value.length > max) {
    throw new HistoryInputError(code, `${what} must have 1 to ${max} characters, got ${value.length}`);
  }
}

// Typed wider than lib.d.ts says: JSON.stringify(undefined) is undefined.
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/** JSON of an entry's data; rejects anything that is not a JSON object (JavaScript callers exist). */
function serialiseData(value: unknown): string {
  let json: string | undefined;
  try {
    json = stringify(value);
  } catch (error) {
    throw new HistoryInputError(
      'HISTORY.INVALID_ENTRY',
      `History entry data is not JSON-serialisable: ${String(error)}`,
    );
  }
  if (json === undefined || !json.startsWith('{')) {
    throw new HistoryInputError('HISTORY.INVALID_ENTRY', 'History entry data must be a JSON object');
  }
  return json;
}

/** Whether `ms` is a time a history entry (or a cursor) may carry. */
export function isHistoryTime(ms: number): boolean {
  return Number.isInteger(ms) && ms >= HISTORY_BOUNDS.minTimeMs && ms <= HISTORY_BOUNDS.maxTimeMs;
}

/** Rejects a stream key the stores cannot hold. */
export function assertHistoryStream(stream: string): void {
  checkText(stream, HISTORY_BOUNDS.streamLength, 'HISTORY.INVALID_STREAM', 'A history stream');
}

/** Validates an entry and serialises its data; throws {@link HistoryInputError} when an entry breaks the bounds. */
export function toStoredEntry(entry: HistoryEntry): StoredHistoryEntry {
  checkText(entry.id, HISTORY_BOUNDS.idLength, 'HISTORY.INVALID_ENTRY', 'A history entry id');
  checkText(entry.kind, HISTORY_BOUNDS.kindLength, 'HISTORY.INVALID_ENTRY', 'A history entry kind');
  const timeMs = entry.time.getTime();
  if (!isHistoryTime(timeMs)) {
    throw new HistoryInputError(
      'HISTORY.INVALID_ENTRY',
      `A history entry time must be a valid date in years 1000-9999`,
    );
  }
  const data = serialiseData(entry.data);
  if (Buffer.byteLength(data, 'utf8') > HISTORY_BOUNDS.dataBytes) {
    throw new HistoryInputError(
      'HISTORY.INVALID_ENTRY',
      `History entry data exceeds ${HISTORY_BOUNDS.dataBytes} bytes of JSON`,
    );
  }
  // A copy: the caller may reuse its Date object while the write is in flight.
  return { id: entry.id, time: new Date(timeMs), kind: entry.kind, data };
}

/** Turns a stored row back into an entry. A row whose data is not a JSON object means a corrupt table, not bad input. */
export function fromStoredEntry(row: StoredHistoryEntry): HistoryEntry {
  const data: unknown = JSON.parse(row.data);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`History entry ${row.id} holds data that is not a JSON object`);
  }
  return { id: row.id, time: row.time, kind: row.kind, data: data as Record<string, unknown> };
}
