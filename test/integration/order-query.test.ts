import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { NOTIFICATIONS } from '../../functions/order/service';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { HistoryStore } from '../../shared/domain/history-store';
import { startFunctions, type RunningFunctions } from '../support/functions';
import { uniqueName } from '../support/unique-name';

const keyspace = uniqueName('test_order_query');
const sqliteDir = mkdtempSync(path.join(tmpdir(), 'order-query-'));
// The committed dev key pair: the verifier's defaults, so real tokens pass the function's real check.
const signer = loadConfig(AccessTokenSignerEnv, {});
const T0 = Date.parse('2025-01-06T09:00:00.000Z');

/** The two places order-query reads inboxes from: Cassandra (the cluster) and SQLite (the embedded stack). */
const BACKENDS = {
  cassandra: { HISTORY_BACKEND: 'cassandra', CASSANDRA_KEYSPACE: keyspace },
  sqlite: { HISTORY_BACKEND: 'sql', DB_DIALECT: 'sqlite', SQLITE_DIR: sqliteDir },
} as const;

interface Served {
  readonly fn: RunningFunctions;
  readonly inbox: HistoryStore;
}
const served = new Map<string, Served>();

test.before(async () => {
  for (const [name, overrides] of Object.entries(BACKENDS)) {
    // Only customers' tokens here: user-grpc (which confirms an admin's) is at a closed port, never asked.
    const fn = await startFunctions({
      names: ['order-query'],
      env: { ...overrides, USER_GRPC_ADDRESS: '127.0.0.1:1' },
    });
    // The function's own store (migrated on this first use) seeds the inboxes.
    served.set(name, { fn, inbox: await fn.stores('order-query').history(NOTIFICATIONS) });
  }
});

test.after.always(async () => {
  for (const { fn } of served.values()) await fn.close();
  const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cassandra.shutdown();
  rmSync(sqliteDir, { recursive: true, force: true });
});

const tokenOf = (userId: string) =>
  signAccessToken({ userId, role: 'customer', sessionId: randomUUID() }, signer).token;

/** Gives a user `count` notifications, one minute apart: `n0` oldest. */
async function seed(inbox: HistoryStore, userId: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      inbox.append(userId, {
        id: `n${i}`,
        time: new Date(T0 + i * 60_000),
        kind: 'welcome',
        data: { title: `title ${i}`, body: `body ${i}` },
      }),
    ),
  );
}

interface Page {
  readonly items: { id: string; kind: string; title: string; body: string; createdAt: string }[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

async function get(fn: RunningFunctions, query: string, authorization?: string) {
  const response = await fn.call('GET', `/v1/notifications${query}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: response.status, body: (await response.json()) as Page & { code?: string } };
}

for (const backend of Object.keys(BACKENDS)) {
  const use = () => {
    const found = served.get(backend);
    if (!found) throw new Error(`${backend} was not served`);
    return found;
  };

  test(`${backend}: the inbox pages newest first, with the total, and is empty past the end`, async (t) => {
    const { fn, inbox } = use();
    const userId = randomUUID();
    await seed(inbox, userId, 25);
    const bearer = `Bearer ${tokenOf(userId)}`;

    const first = await get(fn, '?page=1&pageSize=10', bearer);
    t.is(first.status, 200);
    t.like(first.body, { page: 1, pageSize: 10, total: 25 });
    t.deepEqual(
      first.body.items.map((item) => item.id),
      ['n24', 'n23', 'n22', 'n21', 'n20', 'n19', 'n18', 'n17', 'n16', 'n15'],
    );
    t.deepEqual(first.body.items[0], {
      id: 'n24',
      kind: 'welcome',
      title: 'title 24',
      body: 'body 24',
      createdAt: new Date(T0 + 24 * 60_000).toISOString(),
    });

    const last = await get(fn, '?page=3&pageSize=10', bearer);
    t.deepEqual(
      last.body.items.map((item) => item.id),
      ['n4', 'n3', 'n2', 'n1', 'n0'],
    );
    t.deepEqual(await get(fn, '?page=4&pageSize=10', bearer), {
      status: 200,
      body: { items: [], page: 4, pageSize: 10, total: 25 },
    });

    const byDefault = await get(fn, '', bearer);
    t.like(byDefault.body, { page: 1, pageSize: 20, total: 25 });
    t.is(byDefault.body.items.length, 20);
    t.is(byDefault.body.items.at(-1)?.id, 'n5');
  });

  test(`${backend}: a page deep in a long inbox spans the store's read pages`, async (t) => {
    const { fn, inbox } = use();
    const userId = randomUUID();
    await seed(inbox, userId, 530);
    // Entries 480..509 newest first: the store reads at most 500 per query, so this page needs two reads.
    const deep = await get(fn, '?page=17&pageSize=30', `Bearer ${tokenOf(userId)}`);
    t.like(deep.body, { page: 17, pageSize: 30, total: 530 });
    t.deepEqual(
      deep.body.items.map((item) => item.id),
      Array.from({ length: 30 }, (_, i) => `n${49 - i}`),
    );
  });

  test(`${backend}: a customer sees only their own notifications`, async (t) => {
    const { fn, inbox } = use();
    const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()];
    await seed(inbox, alice, 3);
    await seed(inbox, bob, 2);

    const bobs = await get(fn, '', `Bearer ${tokenOf(bob)}`);
    t.is(bobs.body.total, 2);
    t.deepEqual(
      bobs.body.items.map((item) => item.title),
      ['title 1', 'title 0'],
    );
    t.is((await get(fn, '', `Bearer ${tokenOf(alice)}`)).body.total, 3);
    t.deepEqual((await get(fn, '', `Bearer ${tokenOf(carol)}`)).body, {
      items: [],
      page: 1,
      pageSize: 20,
      total: 0,
    });
  });

  test(`${backend}: no token or a bad token answers 401`, async (t) => {
    const { fn } = use();
    t.like(await get(fn, ''), { status: 401, body: { code: 'AUTH.MISSING_TOKEN' } });
    t.like(await get(fn, '', 'Bearer not.a.token'), { status: 401, body: { code: 'AUTH.INVALID_TOKEN' } });
    const expired = signAccessToken(
      { userId: randomUUID(), role: 'customer', sessionId: randomUUID() },
      signer,
      {
        now: new Date(Date.now() - 3_600_000),
      },
    );
    t.like(await get(fn, '', `Bearer ${expired.token}`), {
      status: 401,
      body: { code: 'AUTH.TOKEN_EXPIRED' },
    });
  });

  test(`${backend}: a bad page or page size answers 400`, async (t) => {
    const { fn } = use();
    const bearer = `Bearer ${tokenOf(randomUUID())}`;
    for (const query of [
      '?page=0',
      '?page=abc',
      '?page=1.5',
      '?page=',
      '?pageSize=0',
      '?pageSize=101',
      '?page=1e3',
    ]) {
      t.like(await get(fn, query, bearer), { status: 400, body: { code: 'REQUEST.INVALID' } }, query);
    }
    t.like(await get(fn, '?page=2&pageSize=100', bearer), { status: 200, body: { page: 2, pageSize: 100 } });
  });
}
