// Dead letters kept and published again: count-dead-letters keeps each one the KafkaSource delivers (once per event
// and subscriber), replay-dead-letters lists them to admins and publishes one's event again, as it was, through the
// order service's outbox to the broker's topic (real MariaDB and Kafka).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { QueryTypes } from 'sequelize';
import { CloudEvent } from 'cloudevents';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';
import { postCloudEvent } from '../support/post-cloud-event';
import { DIALECTS, type Dialect } from '../support/sql-fixture';

/** The order service on MariaDB (the cluster) and on SQLite (the embedded stack), each with its admin's token. */
const services = new Map<Dialect, { api: OrderServiceUnderTest; admin: string }>();
const sqliteDir = mkdtempSync(path.join(tmpdir(), 'dead-letters-'));
test.before(async () => {
  for (const dialect of DIALECTS) {
    const settings: Record<string, string> =
      dialect === 'sqlite' ? { DB_DIALECT: 'sqlite', SQLITE_DIR: sqliteDir } : {};
    const api = await startOrderService(settings);
    services.set(dialect, { api, admin: await api.products.adminToken() });
  }
});
test.after.always(async () => {
  for (const { api } of services.values()) await api.close();
  rmSync(sqliteDir, { recursive: true, force: true });
});

function serviceOn(dialect: Dialect) {
  const service = services.get(dialect);
  if (!service) throw new Error(`no order service on ${dialect}`);
  return service;
}

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** An order.placed the broker gave up delivering to `subscriber`, as the dead-letter topic holds it. */
function deadLetter(event: { id: string; subject?: string }, subscriber: string, code = '503') {
  return new CloudEvent<unknown>({
    id: event.id,
    type: 'com.ecom.order.placed',
    source: '/ecom/order/place-order',
    time: '2026-12-04T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: { orderId: event.subject ?? 'none', lines: [{ productId: 'p-1', quantity: 2 }] },
    ...(event.subject === undefined ? {} : { subject: event.subject, partitionkey: event.subject }),
    traceparent: TRACEPARENT,
    knativeerrordest: `http://${subscriber}.ecom.svc.cluster.local`,
    knativeerrorcode: code,
    knativeerrordata: base64({ code: 'SERVICE.UNAVAILABLE' }),
  });
}

/** What a test does with the order service on one dialect. */
function calls(dialect: Dialect) {
  const { api, admin } = serviceOn(dialect);
  return {
    api,
    keep: async (letter: CloudEvent<unknown>) =>
      (await postCloudEvent(api.url('count-dead-letters'), letter)).status,
    listed: async (query: string, token = admin) => {
      const response = await api.call('GET', `/v1/dead-letters${query}`, { token });
      return { status: response.status, body: (await response.json()) as { items: Letter[]; total: number } };
    },
    replay: (id: string, token = admin) => api.call('POST', `/v1/dead-letters/${id}/replay`, { token }),
  };
}

interface Letter {
  id: string;
  eventId: string;
  subscriber: string;
  pending: boolean;
  replayable: boolean;
  replayedAt?: string;
}

for (const dialect of DIALECTS) {
  test.serial(
    `${dialect}: a dead letter is kept once per event and subscriber, listed to admins, and published again as it was`,
    async (t) => {
      const { api, keep, listed, replay } = calls(dialect);
      const eventId = randomUUID();
      const orderId = randomUUID();
      // The KafkaSource delivers a record twice (at least once), and the event was dead-lettered for two functions.
      t.is(await keep(deadLetter({ id: eventId, subject: orderId }, 'reserve-inventory')), 204);
      t.is(await keep(deadLetter({ id: eventId, subject: orderId }, 'reserve-inventory')), 204);
      t.is(await keep(deadLetter({ id: eventId, subject: orderId }, 'notify', '500')), 204);

      const all = await listed('?type=com.ecom.order.placed&pageSize=100');
      t.is(all.status, 200);
      const mine = all.body.items.filter((letter) => letter.eventId === eventId);
      t.deepEqual(mine.map((letter) => letter.subscriber).sort(), ['notify', 'reserve-inventory']);
      const reserve = await listed('?subscriber=reserve-inventory&pending=true');
      const letter = reserve.body.items.find((item) => item.eventId === eventId);
      t.like(letter, {
        type: 'com.ecom.order.placed',
        subject: orderId,
        subscriber: 'reserve-inventory',
        status: 503,
        problemCode: 'SERVICE.UNAVAILABLE',
        pending: true,
        replayable: true,
      });
      t.false(JSON.stringify(all.body).includes('p-1'), "the list never shows the event's data");

      const customer = await api.products.customerToken();
      t.is((await listed('', customer)).status, 403);
      t.is((await api.call('GET', '/v1/dead-letters')).status, 401);
      t.is((await replay(letter?.id ?? '', customer)).status, 403);

      const replayed = await replay(letter?.id ?? '');
      t.is(replayed.status, 202);
      t.like(await replayed.json(), { id: letter?.id, pending: false });
      const again = await replay(letter?.id ?? '');
      t.is(again.status, 409);
      t.like(await again.json(), { code: 'DEAD_LETTER.NOT_PENDING' });
      t.is(
        (await listed('?subscriber=reserve-inventory&pending=true')).body.items.find(
          (item) => item.eventId === eventId,
        ),
        undefined,
      );

      // On the broker's topic, as its publisher sent it: same id, key, source, time, data and trace; Knative's
      // extensions left behind.
      const records = await readRecords(testKafka(api.products.users.kafkaBrokers), api.eventsTopic, {
        until: (read) => read.some((record) => fromKafkaRecord(record).id === eventId),
      });
      const record = records.find((read) => fromKafkaRecord(read).id === eventId);
      t.is(record?.key, orderId);
      const published = record && fromKafkaRecord(record);
      t.like(published, {
        type: 'com.ecom.order.placed',
        source: '/ecom/order/place-order',
        subject: orderId,
        time: '2026-12-04T10:00:00.000Z',
        traceparent: TRACEPARENT,
        data: { orderId, lines: [{ productId: 'p-1', quantity: 2 }] },
      });
      t.is(published?.['knativeerrordest'], undefined);
      t.is(published?.['knativeerrorcode'], undefined);

      // Given up again after its replay: pending again, and published again once more, though the outbox still holds
      // the row it was sent from (published rows are kept a week).
      const { sequelize } = await api.stores('replay-dead-letters').database();
      for (let waited = 0; ; waited += 50) {
        const [row] = await sequelize.query<{ published: number }>(
          'SELECT COUNT(*) AS published FROM outbox_events WHERE id = :eventId AND published_at IS NOT NULL',
          { type: QueryTypes.SELECT, replacements: { eventId } },
        );
        if (Number(row?.published) === 1) break;
        if (waited > 10_000) t.fail('the replayed event was never marked published');
        await sleep(50);
      }
      t.is(await keep(deadLetter({ id: eventId, subject: orderId }, 'reserve-inventory')), 204);
      t.like(
        (await listed('?subscriber=reserve-inventory&pending=true')).body.items.find(
          (item) => item.eventId === eventId,
        ),
        { id: letter?.id, pending: true },
      );
      t.is((await replay(letter?.id ?? '')).status, 202);
      const twice = await readRecords(testKafka(api.products.users.kafkaBrokers), api.eventsTopic, {
        until: (read) => read.filter((record) => fromKafkaRecord(record).id === eventId).length === 2,
      });
      t.is(twice.filter((record) => fromKafkaRecord(record).id === eventId).length, 2);
    },
  );

  test.serial(
    `${dialect}: a dead letter that is no event of the shop is kept and listed, but cannot be published again`,
    async (t) => {
      const { keep, listed, replay } = calls(dialect);
      const eventId = randomUUID();
      t.is(await keep(deadLetter({ id: eventId }, 'notify')), 204);
      const letter = (await listed('?subscriber=notify&pageSize=100')).body.items.find(
        (item) => item.eventId === eventId,
      );
      t.like(letter, { replayable: false, pending: true });
      const refused = await replay(letter?.id ?? '');
      t.is(refused.status, 409);
      t.like(await refused.json(), { code: 'DEAD_LETTER.NOT_REPLAYABLE' });
      const unknown = await replay(randomUUID());
      t.is(unknown.status, 404);
      t.like(await unknown.json(), { code: 'DEAD_LETTER.NOT_FOUND' });
      t.is((await replay('not-an-id')).status, 400);

      // Sent anywhere, with attributes longer than the outbox holds: kept all the same, its address cut short.
      const hook = `https://hooks.example.com/${'x'.repeat(300)}`;
      const odd = new CloudEvent<unknown>({
        id: randomUUID(),
        type: 'com.ecom.order.placed',
        source: `/${'s'.repeat(300)}`,
        subject: 'o-1',
        data: { orderId: 'o-1' },
        knativeerrordest: hook,
      });
      t.is(await keep(odd), 204);
      const kept = (await listed(`?subscriber=${encodeURIComponent(hook.slice(0, 200))}`)).body.items;
      t.like(kept[0], { eventId: odd.id, replayable: false });
    },
  );
}

for (const dialect of DIALECTS) {
  test.serial(
    `${dialect}: a subscriber's pending letters are published again in bulk, oldest first; those that cannot be stay`,
    async (t) => {
      const { api, keep, listed } = calls(dialect);
      const { admin } = serviceOn(dialect);
      const subscriber = `bulk-${randomUUID().slice(0, 8)}`;
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) {
        t.is(await keep(deadLetter({ id, subject: randomUUID() }, subscriber)), 204);
        await sleep(5); // each kept at a later millisecond
      }
      const stuck = randomUUID();
      t.is(await keep(deadLetter({ id: stuck }, subscriber)), 204); // no subject: cannot be published again
      const bulk = (body: unknown, token = admin) =>
        api.call('POST', '/v1/dead-letters/replay', { token, body });

      t.is((await bulk({ subscriber }, await api.products.customerToken())).status, 403);
      const refused = await bulk({});
      t.is(refused.status, 400, 'a filter is required');
      t.like(await refused.json(), { code: 'REQUEST.INVALID' });

      const first = await bulk({ subscriber });
      t.is(first.status, 202);
      const answer = (await first.json()) as { replayed: Letter[]; remaining: number };
      t.deepEqual(
        answer.replayed.map((letter) => [letter.eventId, letter.pending]),
        ids.map((id) => [id, false]),
      );
      t.is(answer.remaining, 0);
      const pending = (await listed(`?subscriber=${subscriber}&pending=true`)).body.items;
      t.deepEqual(
        pending.map((letter) => letter.eventId),
        [stuck],
      );
      t.like(await (await bulk({ subscriber, type: 'com.ecom.order.placed' })).json(), {
        replayed: [],
        remaining: 0,
      });
    },
  );
}

test.serial('a page of dead letters is newest first; a page size above 100 is refused', async (t) => {
  const { keep, listed } = calls('mysql');
  const type = `org.example.test-${randomUUID().slice(0, 8)}`;
  const kept: string[] = [];
  for (let i = 0; i < 3; i++) {
    const letter = new CloudEvent<unknown>({
      id: randomUUID(),
      type,
      source: '/ecom/test',
      subject: 's',
      data: { i },
      knativeerrordest: 'http://notify.ecom.svc.cluster.local',
    });
    t.is(await keep(letter), 204);
    kept.push(letter.id);
    await sleep(5); // each kept at a later millisecond
  }
  const page = await listed(`?type=${type}&pageSize=2`);
  t.is(page.body.total, 3);
  t.deepEqual(
    page.body.items.map((item) => item.eventId),
    [kept[2], kept[1]],
  );
  t.deepEqual(
    (await listed(`?type=${type}&pageSize=2&page=2`)).body.items.map((item) => item.eventId),
    [kept[0]],
  );
  t.is((await listed('?pageSize=101')).status, 400);
});
