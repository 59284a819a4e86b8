import test from 'ava';
import { QueryTypes } from 'sequelize';
import { createLogger } from '../../shared/log/logger';
import type { DomainEvent } from '../../shared/domain/domain-event';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { processedEventsMigrations } from '../../shared/idempotency/processed-events-migration';
import { deleteExpiredRows, expiringRowsOf, PUBLISHED_OUTBOX_DAYS } from '../../shared/kit/retention';
import { relayHandler } from '../../shared/outbox/relay-handler';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { migrate } from '../../shared/sql/migrate';
import { serveFunction } from '../support/function-under-test';
import { commitEvents, pendingEvents } from '../support/outbox-fixture';
import { sqlFixture } from '../support/sql-fixture';

test('the relay function publishes the outbox, then deletes what is kept no longer; while the sink fails it answers 503 and keeps the events', async (t) => {
  const db = await sqlFixture('mysql', 'test_relay_fn');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, [...outboxMigrations, ...processedEventsMigrations]);
  await commitEvents(db.sequelize, ['o-1', 'o-2'], 1, 2);

  const published: DomainEvent[] = [];
  let failing = true;
  const sink = {
    publish: (events: readonly DomainEvent[]) => {
      if (failing) return Promise.reject(new Error('broker down'));
      published.push(...events);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const logger = createLogger('relay-test', { level: 'silent' });
  const fn = await serveFunction(
    relayHandler(
      () => relayOutbox({ sequelize: db.sequelize, sink }),
      () => deleteExpiredRows(db.sequelize, expiringRowsOf(), new Date()),
      logger,
    ),
  );
  t.teardown(() => fn.close());
  const ping = () =>
    fetch(fn.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'p-1',
        'ce-type': 'dev.knative.sources.ping',
        'ce-source': '/ping',
      },
      body: '{}',
    });

  const down = await ping();
  t.is(down.status, 503);
  t.like(await down.json(), { code: 'OUTBOX.PUBLISH_FAILED' });
  t.is(await pendingEvents(db.sequelize), 4);

  failing = false;
  t.is((await ping()).status, 204);
  t.is(await pendingEvents(db.sequelize), 0);
  t.is(published.length, 4);

  // Published more than a week ago: the next run deletes the rows.
  await db.sequelize.query("UPDATE outbox_events SET published_at = :at WHERE partition_key = 'o-1'", {
    replacements: { at: new Date(Date.now() - (PUBLISHED_OUTBOX_DAYS + 1) * 86_400_000) },
  });
  t.is((await ping()).status, 204);
  const [left] = await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events', {
    type: QueryTypes.SELECT,
  });
  t.is(Number(left?.n), 2);
});
