import test from 'ava';
import { migrateCassandra } from '../../shared/cassandra/cassandra-migrate';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import {
  cassandraHistoryMigrations,
  createCassandraHistoryStore,
} from '../../shared/history/cassandra-history-store';
import { HistoryInputError, InvalidCursorError } from '../../shared/history/history-errors';
import type { HistoryEntry, HistoryReadOptions, HistoryStore } from '../../shared/domain/history-store';
import { sqlHistoryMigration } from '../../shared/history/sql-history-migration';
import { createSqlHistoryStore } from '../../shared/history/sql-history-store';
import { migrate } from '../../shared/sql/migrate';
import { memoryHistoryStore } from '../support/memory/memory-history-store';
import { sqlFixture } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

/** A store on a fresh, migrated database, and how to delete that database. */
interface OpenedStore {
  readonly store: HistoryStore;
  close(): Promise<void>;
}

const HISTORY = 'contract';
const T0 = Date.parse('2024-03-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const entry = (id: string, time: Date, data: Record<string, unknown> = { id }): HistoryEntry => ({
  id,
  time,
  kind: 'test.happened',
  data,
});
const ids = (items: readonly HistoryEntry[]) => items.map((item) => item.id);

/** Reads a whole stream page by page, as a client scrolling a timeline does. */
async function readAll(store: HistoryStore, stream: string, options: HistoryReadOptions) {
  const pages: HistoryEntry[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.read(stream, { ...options, ...(cursor === undefined ? {} : { cursor }) });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

/**
 * The behaviour an order timeline or an inbox relies on, for any HistoryStore. `open` runs once, on first use;
 * every test writes its own streams, so the tests of one backend share its table and run concurrently.
 */
function historyStoreContract(title: string, open: () => Promise<OpenedStore>): void {
  let opened: Promise<OpenedStore> | undefined;
  const store = async () => (await (opened ??= open())).store;
  test.after.always(`${title}: drop the database`, async () => {
    if (opened) await (await opened).close();
  });
  const stream = () => uniqueName('stream');

  test(`${title}: newest first, ties broken by id descending`, async (t) => {
    const s = await store();
    const key = stream();
    for (const e of [
      entry('b', at(1)),
      entry('old', at(0)),
      entry('c', at(1)),
      entry('a', at(1)),
      entry('new', at(2)),
    ]) {
      await s.append(key, e);
    }
    const page = await s.read(key);
    t.deepEqual(ids(page.items), ['new', 'c', 'b', 'a', 'old']);
    t.is(page.nextCursor, undefined);
  });

  test(`${title}: oldest first, ties broken by id ascending`, async (t) => {
    const s = await store();
    const key = stream();
    for (const e of [
      entry('b', at(1)),
      entry('new', at(2)),
      entry('c', at(1)),
      entry('old', at(0)),
      entry('a', at(1)),
    ]) {
      await s.append(key, e);
    }
    t.deepEqual(ids((await s.read(key, { order: 'oldest-first' })).items), ['old', 'a', 'b', 'c', 'new']);
  });

  for (const order of ['newest-first', 'oldest-first'] as const) {
    test(`${title}: paging ${order} visits every entry exactly once`, async (t) => {
      const s = await store();
      const key = stream();
      // 23 entries on 5 distinct times: pages end in the middle of runs of equal times.
      const all = Array.from({ length: 23 }, (_, i) =>
        entry(`e${String(i).padStart(2, '0')}`, at((i * 7) % 5)),
      );
      await Promise.all(all.map((e) => s.append(key, e)));

      const pages = await readAll(s, key, { order, limit: 5 });
      t.deepEqual(
        pages.map((p) => p.length),
        [5, 5, 5, 5, 3],
      );
      const paged = pages.flat();
      t.deepEqual(ids(paged), ids((await s.read(key, { order, limit: 500 })).items));
      t.is(new Set(ids(paged)).size, 23);
    });
  }

  test(`${title}: a full last page has no cursor`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.append(key, entry(`e${i}`, at(i)))));
    const pages = await readAll(s, key, { limit: 5 });
    t.deepEqual(
      pages.map((p) => p.length),
      [5, 5],
    );
  });

  test(`${title}: a cursor stays valid while newer entries arrive`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(Array.from({ length: 4 }, (_, i) => s.append(key, entry(`e${i}`, at(i)))));
    const first = await s.read(key, { limit: 2 });
    t.deepEqual(ids(first.items), ['e3', 'e2']);
    await s.append(key, entry('e4', at(4)));
    const second = await s.read(key, {
      limit: 2,
      ...(first.nextCursor === undefined ? {} : { cursor: first.nextCursor }),
    });
    t.deepEqual(ids(second.items), ['e1', 'e0']);
  });

  test(`${title}: a replayed entry rewrites its row`, async (t) => {
    const s = await store();
    const key = stream();
    await s.append(key, entry('evt-1', at(0), { status: 'placed' }));
    await s.append(key, entry('evt-2', at(1)));
    await s.append(key, entry('evt-1', at(0), { status: 'placed', replayed: true }));
    t.is(await s.count(key), 2);
    const { items } = await s.read(key, { order: 'oldest-first' });
    t.deepEqual(ids(items), ['evt-1', 'evt-2']);
    t.deepEqual(items[0]?.data, { status: 'placed', replayed: true });
  });

  test(`${title}: ids are case-sensitive and compared byte-wise`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(['evt', 'EVT', 'Evt'].map((id) => s.append(key, entry(id, at(0)))));
    t.is(await s.count(key), 3);
    t.deepEqual(ids((await s.read(key)).items), ['evt', 'Evt', 'EVT']);
  });

  test(`${title}: streams are isolated`, async (t) => {
    const s = await store();
    const [a, b] = [stream(), stream()];
    await s.append(a, entry('same-id', at(0), { stream: 'a' }));
    await s.append(b, entry('same-id', at(0), { stream: 'b' }));
    await s.append(b, entry('other', at(1)));
    t.is(await s.count(a), 1);
    t.is(await s.count(b), 2);
    t.deepEqual((await s.read(a)).items[0]?.data, { stream: 'a' });
    t.deepEqual(ids((await s.read(b)).items), ['other', 'same-id']);
  });

  test(`${title}: count`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(Array.from({ length: 7 }, (_, i) => s.append(key, entry(`e${i}`, at(i % 3)))));
    t.is(await s.count(key), 7);
  });

  test(`${title}: an empty stream`, async (t) => {
    const s = await store();
    const key = stream();
    t.deepEqual(await s.read(key), { items: [] });
    t.deepEqual(await s.read(key, { order: 'oldest-first' }), { items: [] });
    t.is(await s.count(key), 0);
  });

  test(`${title}: limit defaults to 50 and must be 1..500`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(Array.from({ length: 51 }, (_, i) => s.append(key, entry(`e${i}`, at(i)))));
    const page = await s.read(key);
    t.is(page.items.length, 50);
    t.not(page.nextCursor, undefined);
    t.is((await s.read(key, { limit: 1 })).items.length, 1);
    t.is((await s.read(key, { limit: 500 })).items.length, 51);
    for (const limit of [0, 501, -1, 2.5, Number.NaN]) {
      const error = await t.throwsAsync(s.read(key, { limit }), { instanceOf: HistoryInputError });
      t.is(error.code, 'HISTORY.INVALID_READ_OPTIONS');
    }
  });

  test(`${title}: times keep their milliseconds and come back as Dates`, async (t) => {
    const s = await store();
    const key = stream();
    const times = ['2024-02-29T23:59:59.999Z', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.001Z'];
    await Promise.all(times.map((time, i) => s.append(key, entry(`e${i}`, new Date(time)))));
    const { items } = await s.read(key, { order: 'oldest-first' });
    t.deepEqual(ids(items), ['e0', 'e1', 'e2']);
    t.true(items.every((item) => item.time instanceof Date));
    t.deepEqual(
      items.map((item) => item.time.toISOString()),
      times,
    );
    // Paging across entries 1 ms apart must not skip or repeat one.
    t.deepEqual(ids((await readAll(s, key, { limit: 1 })).flat()), ['e2', 'e1', 'e0']);
  });

  test(`${title}: data round-trips as JSON`, async (t) => {
    const s = await store();
    const key = stream();
    const data = {
      orderId: 'ord-42',
      total: { amountMinor: 129_99, currency: 'EUR' },
      lines: [{ sku: 'TSHIRT-M', qty: 2, tags: ['cotton', null] }],
      note: 'Crème brûlée für Zoë — 注文 ✅ 🎉, "quoted", back\\slash\nnew line',
      flags: { gift: true, express: false },
      nothing: null,
      pi: 3.14159,
    };
    await s.append(key, { id: 'e', time: at(0), kind: 'order.placed', data });
    const [item] = (await s.read(key)).items;
    t.deepEqual(item, { id: 'e', time: at(0), kind: 'order.placed', data });
  });

  test(`${title}: a cursor it did not make is rejected`, async (t) => {
    const s = await store();
    const key = stream();
    await Promise.all(Array.from({ length: 3 }, (_, i) => s.append(key, entry(`e${i}`, at(i)))));
    const { nextCursor } = await s.read(key, { limit: 1 });
    t.not(nextCursor, undefined);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      'garbage!!',
      '',
      Buffer.from('not json').toString('base64url'),
      encode({ v: 1, o: 'n', t: 'yesterday', i: 'e1' }),
      encode({ v: 1, o: 'n', t: T0, i: 'e1', extra: true }),
      encode({ v: 1, o: 'n', t: 8.64e15, i: 'e1' }),
      encode({ v: 2, o: 'n', t: T0, i: 'e1' }),
      `${nextCursor ?? ''}!`,
    ];
    for (const cursor of bad) {
      const error = await t.throwsAsync(s.read(key, { cursor }), { instanceOf: InvalidCursorError });
      t.is(error.code, 'HISTORY.INVALID_CURSOR');
    }
    // A newest-first cursor replayed oldest-first would skip entries.
    await t.throwsAsync(s.read(key, { cursor: nextCursor ?? '', order: 'oldest-first' }), {
      instanceOf: InvalidCursorError,
    });
  });

  test(`${title}: entries and streams out of bounds are rejected`, async (t) => {
    const s = await store();
    const key = stream();
    const rejects = (promise: Promise<unknown>) => t.throwsAsync(promise, { instanceOf: HistoryInputError });
    await rejects(s.append('', entry('e', at(0))));
    await rejects(s.append('s'.repeat(192), entry('e', at(0))));
    await rejects(s.append(key, entry('', at(0))));
    await rejects(s.append(key, entry('i'.repeat(101), at(0))));
    await rejects(s.append(key, entry('e', new Date(Number.NaN))));
    await rejects(s.append(key, { ...entry('e', at(0)), kind: '' }));
    await rejects(s.append(key, entry('e', at(0), { big: 'x'.repeat(70_000) })));
    await rejects(s.read(''));
    t.is(await s.count(key), 0);
  });

  test(`${title}: concurrent appends of distinct entries all land`, async (t) => {
    const s = await store();
    const key = stream();
    // Many on the same millisecond: the id alone tells them apart.
    const all = Array.from({ length: 60 }, (_, i) => entry(`evt-${i}`, at(i % 4)));
    await Promise.all(all.map((e) => s.append(key, e)));
    t.is(await s.count(key), 60);
    const read = ids((await s.read(key, { limit: 500 })).items);
    t.deepEqual([...read].sort(), ids(all).sort());
  });
}

// The fake the use-case unit tests run on: held to the same contract, so it cannot drift from the real stores.
historyStoreContract('memory', () => Promise.resolve({ store: memoryHistoryStore(), close: async () => {} }));

historyStoreContract('sqlite', async () => {
  const fixture = await sqlFixture('sqlite', 'test_history');
  await migrate(fixture.sequelize, [sqlHistoryMigration(HISTORY)]);
  return { store: createSqlHistoryStore(fixture.sequelize, HISTORY), close: () => fixture.drop() };
});

historyStoreContract('mariadb', async () => {
  const fixture = await sqlFixture('mysql', 'test_history');
  await migrate(fixture.sequelize, [sqlHistoryMigration(HISTORY)]);
  return { store: createSqlHistoryStore(fixture.sequelize, HISTORY), close: () => fixture.drop() };
});

historyStoreContract('cassandra', async () => {
  const client = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  const keyspace = uniqueName('test_history');
  // Three instances starting together: the history table is created once, and none of them fails.
  const runs = await Promise.all(
    [1, 2, 3].map(() => migrateCassandra(client, cassandraHistoryMigrations(HISTORY), { keyspace })),
  );
  if (runs.flat().length !== 1)
    throw new Error(`Expected one migration run in all, got ${JSON.stringify(runs)}`);
  return {
    store: createCassandraHistoryStore(client, { keyspace, name: HISTORY }),
    async close() {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    },
  };
});
