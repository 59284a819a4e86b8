import { randomUUID } from 'node:crypto';
import test from 'ava';
import { listNotifications } from '../../../functions/order/order-query/use-case';
import type { HistoryStore } from '../../../shared/domain/history-store';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000);

/** `count` notifications n0..n(count-1) for `userId`, a minute apart (n0 the oldest), appended out of order. */
async function inboxWith(inbox: HistoryStore, userId: string, count: number) {
  const indexes = Array.from({ length: count }, (_, n) => n).reverse();
  await Promise.all(
    indexes.map((n) =>
      inbox.append(userId, {
        id: `n${n}`,
        time: minute(n),
        kind: 'welcome',
        data: { title: `Title ${n}`, body: `Body ${n}` },
      }),
    ),
  );
}

/** Notification n as the API shows it. */
const view = (n: number) => ({
  id: `n${n}`,
  kind: 'welcome',
  title: `Title ${n}`,
  body: `Body ${n}`,
  createdAt: minute(n).toISOString(),
});
const views = (...ns: number[]) => ns.map(view);

test('pages the inbox newest first, with the total', async (t) => {
  const inbox = memoryHistoryStore();
  const userId = randomUUID();
  await inboxWith(inbox, userId, 5);
  const list = (page: number) => listNotifications({ inbox }, { userId, page, pageSize: 2 });
  t.deepEqual(await list(1), { items: views(4, 3), page: 1, pageSize: 2, total: 5 });
  t.deepEqual(await list(2), { items: views(2, 1), page: 2, pageSize: 2, total: 5 });
  t.deepEqual(await list(3), { items: views(0), page: 3, pageSize: 2, total: 5 });
});

test('a page past the end is empty, with the real total', async (t) => {
  const inbox = memoryHistoryStore();
  const userId = randomUUID();
  await inboxWith(inbox, userId, 5);
  t.deepEqual(await listNotifications({ inbox }, { userId, page: 4, pageSize: 2 }), {
    items: [],
    page: 4,
    pageSize: 2,
    total: 5,
  });
  t.deepEqual(await listNotifications({ inbox }, { userId: randomUUID(), page: 1, pageSize: 20 }), {
    items: [],
    page: 1,
    pageSize: 20,
    total: 0,
  });
});

test("shows the user's own inbox only", async (t) => {
  const inbox = memoryHistoryStore();
  const [ada, bob] = [randomUUID(), randomUUID()];
  await inboxWith(inbox, ada, 2);
  await inboxWith(inbox, bob, 3);
  t.deepEqual(await listNotifications({ inbox }, { userId: ada, page: 1, pageSize: 20 }), {
    items: views(1, 0),
    page: 1,
    pageSize: 20,
    total: 2,
  });
});

test('an entry this version cannot read still shows, with an empty title and body', async (t) => {
  const inbox = memoryHistoryStore();
  const userId = randomUUID();
  await inbox.append(userId, { id: 'old', time: minute(0), kind: 'legacy', data: { text: 'hi' } });
  await inbox.append(userId, { id: 'odd', time: minute(1), kind: 'welcome', data: { title: 42, body: 'x' } });
  await inbox.append(userId, {
    id: 'newer',
    time: minute(2),
    kind: 'welcome',
    data: { title: 'Hello', body: 'World', addedLater: true },
  });
  t.deepEqual(await listNotifications({ inbox }, { userId, page: 1, pageSize: 20 }), {
    items: [
      { id: 'newer', kind: 'welcome', title: 'Hello', body: 'World', createdAt: minute(2).toISOString() },
      { id: 'odd', kind: 'welcome', title: '', body: '', createdAt: minute(1).toISOString() },
      { id: 'old', kind: 'legacy', title: '', body: '', createdAt: minute(0).toISOString() },
    ],
    page: 1,
    pageSize: 20,
    total: 3,
  });
});

test("pages deeper than the store's largest read land on the right entries", async (t) => {
  const inbox = memoryHistoryStore();
  const userId = randomUUID();
  await inboxWith(inbox, userId, 620);
  const newestFirst = (from: number, count: number) =>
    views(...Array.from({ length: count }, (_, i) => from - i));
  t.deepEqual(await listNotifications({ inbox }, { userId, page: 6, pageSize: 100 }), {
    items: newestFirst(119, 100),
    page: 6,
    pageSize: 100,
    total: 620,
  });
  t.deepEqual(await listNotifications({ inbox }, { userId, page: 7, pageSize: 100 }), {
    items: newestFirst(19, 20),
    page: 7,
    pageSize: 100,
    total: 620,
  });
});
