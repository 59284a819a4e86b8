import type { HistoryEntry, HistoryStore } from '../../../shared/domain/history-store';
import {
  assertHistoryStream,
  fromStoredEntry,
  toStoredEntry,
  type StoredHistoryEntry,
} from '../../../shared/history/history-entry-codec';
import {
  planHistoryRead,
  toHistoryPage,
  type HistoryReadPlan,
} from '../../../shared/history/history-read-plan';

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

/** Ids compare byte-wise in UTF-8, as Cassandra and the SQL tables (utf8mb4_bin) compare them. */
const compareIds = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const compareOldestFirst = (a: StoredHistoryEntry, b: StoredHistoryEntry) =>
  a.time.getTime() - b.time.getTime() || compareIds(a.id, b.id);

/** Entries of a stream in plan order, strictly after the plan's cursor position. */
function planned(entries: Iterable<StoredHistoryEntry>, plan: HistoryReadPlan): StoredHistoryEntry[] {
  const sign = plan.order === 'newest-first' ? -1 : 1;
  const { after } = plan;
  const ordered = [...entries].sort((a, b) => sign * compareOldestFirst(a, b));
  return after === undefined
    ? ordered
    : ordered.filter((entry) => sign * compareOldestFirst(entry, { ...after, kind: '', data: '' }) > 0);
}

/**
 * The history store port in memory: entries by stream and id (a replay rewrites its entry), validated and
 * serialised by the codec every store uses, read through the same plan (limits, orders and cursors) as the
 * Cassandra and SQL stores, so it answers and refuses exactly as they do.
 */
export function memoryHistoryStore(): HistoryStore {
  const streams = new Map<string, Map<string, StoredHistoryEntry>>();
  return {
    append: (stream: string, entry: HistoryEntry) =>
      later(() => {
        assertHistoryStream(stream);
        const stored = toStoredEntry(entry);
        const entries = streams.get(stream) ?? new Map<string, StoredHistoryEntry>();
        entries.set(stored.id, stored);
        streams.set(stream, entries);
      }),
    read: (stream, options) =>
      later(() => {
        assertHistoryStream(stream);
        const plan = planHistoryRead(options);
        const fetched = planned(streams.get(stream)?.values() ?? [], plan).slice(0, plan.limit + 1);
        // A fresh Date and data object per read: callers cannot change what the store keeps.
        return toHistoryPage(
          plan,
          fetched.map((entry) => fromStoredEntry({ ...entry, time: new Date(entry.time.getTime()) })),
        );
      }),
    count: (stream) =>
      later(() => {
        assertHistoryStream(stream);
        return streams.get(stream)?.size ?? 0;
      }),
  };
}
