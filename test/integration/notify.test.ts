import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import { QueryTypes } from 'sequelize';
import { UserRegistered, type UserRegisteredData } from '../../events/user-registered';
import { NOTIFY_CONSUMER } from '../../functions/order/notify/function';
import { NOTIFICATIONS, orderService } from '../../functions/order/service';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv, KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { HistoryStore } from '../../shared/domain/history-store';
import { createCassandraHistoryStore } from '../../shared/history/cassandra-history-store';
import { createKafka } from '../../shared/kafka/create-kafka';
import { migrateServiceKeyspace } from '../../shared/kit/cassandra-histories';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { createLogger } from '../../shared/log/logger';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';
import { startFunctions, type RunningFunctions } from '../support/functions';
import { createTopic, deleteTopics, testKafka } from '../support/kafka-fixture';
import { smtpSink, type SmtpSink } from '../support/smtp-sink';
import { sqlFixture, type SqlFixture } from '../support/sql-fixture';
import { startTestBroker } from '../support/test-broker';
import { uniqueName } from '../support/unique-name';
import { startUserService, type UserServiceUnderTest } from '../support/user-service';

const logger = createLogger('notify-test', { level: 'silent' });
const cassandraEnv = loadConfig(CassandraEnv);
const cassandra = createCassandraClient(cassandraClientOptions(cassandraEnv));
const replication = { [cassandraEnv.CASSANDRA_LOCAL_DC]: 1 };
const keyspace = uniqueName('test_notify');
const inbox: HistoryStore = createCassandraHistoryStore(cassandra, { keyspace, name: NOTIFICATIONS });

let sink: SmtpSink;
let users: UserServiceUnderTest;
let db: SqlFixture;
let notify: RunningFunctions;
let url: string;
let firstMigration: { sql: string[]; cassandra: string[] };
/** Directories of SQLite databases, deleted once the functions' connections are closed. */
const sqliteDirs: string[] = [];

/** notify as one test deploys it: this file's database and keyspace, and the sink as SMTP server. */
const startNotify = (overrides: Record<string, string> = {}) =>
  startFunctions({
    names: ['notify'],
    env: {
      DB_DIALECT: 'mysql',
      MYSQL_DATABASE: db.target.dialect === 'mysql' ? db.target.database : '',
      HISTORY_BACKEND: 'cassandra',
      CASSANDRA_KEYSPACE: keyspace,
      SMTP_URL: sink.url,
      USER_GRPC_ADDRESS: users.grpcAddress('user-grpc'),
      ...overrides,
    },
  });

test.before(async () => {
  sink = await smtpSink();
  users = await startUserService();
  db = await sqlFixture('mysql', 'test_notify');
  firstMigration = {
    sql: await migrateServiceDatabase(orderService, db.target, db.sequelize),
    cassandra: await migrateServiceKeyspace(orderService, { client: cassandra, name: keyspace, replication }),
  };
  notify = await startNotify();
  url = notify.url('notify');
});

test.after.always(async () => {
  await notify.close();
  await users.close();
  for (const dir of sqliteDirs) rmSync(dir, { recursive: true, force: true });
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cassandra.shutdown();
  await db.drop();
  await sink.close();
});

/** A user registered with the user service, and the event of that registration (`data` changes what it says). */
async function registration(data: Partial<UserRegisteredData> = {}) {
  const account = { email: `${uniqueName('user')}@example.com`, name: 'Ada Lovelace' };
  const response = await users.call('POST', '/v1/auth/register', {
    body: { ...account, password: 'a long enough password' },
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return {
    id: randomUUID(),
    data: { userId: id, ...account, registeredAt: new Date().toISOString(), ...data },
  };
}

type Registration = Awaited<ReturnType<typeof registration>>;

function cloudEvent(event: Registration): CloudEvent<unknown> {
  const { userId } = event.data;
  return new CloudEvent({
    id: event.id,
    type: UserRegistered.type,
    source: UserRegistered.source,
    subject: userId,
    partitionkey: userId,
    datacontenttype: 'application/json',
    data: event.data,
  });
}

/** Delivers an event as a Knative Trigger does: an HTTP POST in binary or structured content mode. */
function post(url: string, event: Registration, mode: 'binary' | 'structured' = 'binary'): Promise<Response> {
  const message = mode === 'binary' ? HTTP.binary(cloudEvent(event)) : HTTP.structured(cloudEvent(event));
  const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
  return fetch(url, { method: 'POST', headers, body: String(message.body) });
}

/** Delivers an event and answers the status. */
async function deliver(url: string, event: Registration, mode?: 'binary' | 'structured'): Promise<number> {
  const response = await post(url, event, mode);
  await response.arrayBuffer();
  return response.status;
}

/** Delivers an event and reads the problem it is refused with. */
async function deliverRefused(url: string, event: Registration) {
  const response = await post(url, event);
  const problem = (await response.json()) as { code?: string };
  return { status: response.status, code: problem.code };
}

async function processed(eventId: string): Promise<boolean> {
  const rows = await db.sequelize.query(
    'SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?',
    { replacements: [NOTIFY_CONSUMER, eventId], type: QueryTypes.SELECT },
  );
  return rows.length === 1;
}

test('the order service migrations apply once, and a second run finds nothing to do', async (t) => {
  t.deepEqual(firstMigration, {
    sql: [
      '0001-outbox-events',
      '0002-processed-events',
      '0003-outbox-tracestate',
      '0004-processed-events-age',
      '0010-orders',
      '0020-payments',
      '0030-idempotency-keys-age',
      '0040-dead-letters',
      '0100-history-notifications',
      '0100-history-order_timeline',
    ],
    cassandra: ['0100-history-notifications', '0100-history-order_timeline'],
  });
  const again = {
    sql: await migrateServiceDatabase(orderService, db.target, db.sequelize),
    cassandra: await migrateServiceKeyspace(orderService, { client: cassandra, name: keyspace, replication }),
  };
  t.deepEqual(again, { sql: [], cassandra: [] });
});

test('a registration delivered in binary mode writes the welcome notification and sends the welcome e-mail', async (t) => {
  const event = await registration();
  t.is(await deliver(url, event), 204);

  const { items } = await inbox.read(event.data.userId);
  t.is(items.length, 1);
  t.like(items[0], { id: event.id, kind: 'welcome', data: { title: 'Welcome, Ada Lovelace!' } });
  t.deepEqual(items[0]?.time, new Date(event.data.registeredAt));
  t.true(await processed(event.id));

  const [mail] = await sink.waitFor(event.data.email, 1);
  t.is(mail?.subject, 'Welcome to the shop');
  t.is(mail?.from, 'shop@localhost');
  t.true(mail?.text.startsWith('Hello Ada Lovelace,'));
});

test('a replayed event notifies once, also when the copies arrive together', async (t) => {
  const event = await registration();
  t.is(await deliver(url, event), 204);
  t.is(await deliver(url, event), 204);
  const concurrent = await registration();
  t.deepEqual(await Promise.all([1, 2, 3].map(() => deliver(url, concurrent))), [204, 204, 204]);

  // Every delivery has answered, and a mail is sent before the answer (the SMTP server has taken it by then): a
  // second mail would already be in the sink.
  for (const { id, data } of [event, concurrent]) {
    t.is(await inbox.count(data.userId), 1);
    t.true(await processed(id));
  }
  t.is(sink.to(event.data.email).length, 1);
  t.is(sink.to(concurrent.data.email).length, 1);
});

test('an event with invalid data answers 400 and changes nothing', async (t) => {
  const event = await registration({ email: 'not-an-address' });
  t.deepEqual(await deliverRefused(url, event), { status: 400, code: 'EVENT.INVALID_DATA' });
  t.is(await inbox.count(event.data.userId), 0);
  t.false(await processed(event.id));
  t.is(sink.to('not-an-address').length, 0);
});

test('a structured-mode event is handled like a binary one', async (t) => {
  const event = await registration();
  t.is(await deliver(url, event, 'structured'), 204);
  t.is(await inbox.count(event.data.userId), 1);
  await sink.waitFor(event.data.email, 1);
});

test('a mail server deferring the mail answers 503, and the redelivery sends exactly one mail', async (t) => {
  const event = await registration();
  sink.refuse('temporarily', event.data.email);
  t.deepEqual(await deliverRefused(url, event), { status: 503, code: 'MAIL.UNAVAILABLE' });
  t.false(await processed(event.id), 'the event is not recorded as processed');
  t.is(sink.to(event.data.email).length, 0);

  sink.accept(event.data.email);
  t.is(await deliver(url, event), 204);
  t.true(await processed(event.id));
  t.is(await inbox.count(event.data.userId), 1, 'the redelivery rewrote the same inbox entry');
  t.is((await sink.waitFor(event.data.email, 1)).length, 1);
});

test('an unreachable mail server or Cassandra answers 503, so the trigger redelivers', async (t) => {
  const closed = await smtpSink();
  await closed.close();
  const noSmtp = await startNotify({ SMTP_URL: closed.url });
  t.teardown(() => noSmtp.close());
  const mailLost = await registration();
  t.deepEqual(await deliverRefused(noSmtp.url('notify'), mailLost), {
    status: 503,
    code: 'MAIL.UNAVAILABLE',
  });
  t.false(await processed(mailLost.id));

  const noCassandra = await startNotify({ CASSANDRA_CONTACT_POINTS: closed.url.replace('smtp://', '') });
  t.teardown(() => noCassandra.close());
  const inboxLost = await registration();
  t.deepEqual(await deliverRefused(noCassandra.url('notify'), inboxLost), {
    status: 503,
    code: 'SERVICE.UNAVAILABLE',
  });
  t.false(await processed(inboxLost.id));
  t.is(sink.to(inboxLost.data.email).length, 0);
});

test('a mailbox refused for good keeps the inbox entry and does not fail the event', async (t) => {
  const event = await registration();
  sink.refuse('permanently', event.data.email);
  t.teardown(() => {
    sink.accept(event.data.email);
  });
  t.is(await deliver(url, event), 204);
  t.is(await inbox.count(event.data.userId), 1);
  t.true(await processed(event.id));
  t.is(sink.to(event.data.email).length, 0);
});

test('an event published through the outbox and Kafka reaches notify through its Trigger', async (t) => {
  const outbox = await sqlFixture('mysql', 'test_notify_outbox');
  t.teardown(() => outbox.drop());
  await migrateServiceDatabase(orderService, outbox.target, outbox.sequelize);
  const topic = await createTopic(testKafka(), 'notify');
  t.teardown(() => deleteTopics(testKafka(), [topic]));
  const producer = kafkaEventSink(
    await createKafka({ brokers: loadConfig(KafkaEnv).KAFKA_BROKERS, clientId: 'notify-test' }, logger),
    topic,
  );
  t.teardown(() => producer.close());
  // The Triggers of knative/ on this topic: notify's delivers the registration and leaves the other type out.
  const broker = await startTestBroker({ topic, functions: [notify] });
  t.teardown(() => broker.close());

  const { data } = await registration();
  const [stored] = await inTransaction(outbox.sequelize, (tx) =>
    appendToOutbox(outbox.sequelize, tx, [
      {
        type: 'com.ecom.user.logged-in',
        source: '/ecom/user/login',
        subject: data.userId,
        partitionKey: data.userId,
        data: {},
      },
      {
        type: UserRegistered.type,
        source: UserRegistered.source,
        subject: data.userId,
        partitionKey: data.userId,
        data,
      },
    ]).then((events) => events.slice(1)),
  );
  t.is(await relayOutbox({ sequelize: outbox.sequelize, sink: producer }), 2);

  t.is((await sink.waitFor(data.email, 1, 30_000)).length, 1);
  t.like((await inbox.read(data.userId)).items, [{ id: stored?.id, kind: 'welcome' }]);
  t.true(await processed(stored?.id ?? ''));
  t.deepEqual(await broker.deadLetters(), []);
});

test('with HISTORY_BACKEND=sql on SQLite, notify keeps the inbox in the service database', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notify-sqlite-'));
  sqliteDirs.push(dir);
  const local = await startNotify({ DB_DIALECT: 'sqlite', SQLITE_DIR: dir, HISTORY_BACKEND: 'sql' });
  t.teardown(() => local.close());

  const event = await registration();
  t.is(await deliver(local.url('notify'), event), 204);
  t.is(await deliver(local.url('notify'), event), 204);
  const sqlInbox = await local.stores('notify').history(NOTIFICATIONS);
  t.like((await sqlInbox.read(event.data.userId)).items, [{ id: event.id, kind: 'welcome' }]);
  t.is(await sqlInbox.count(event.data.userId), 1);
  t.is((await sink.waitFor(event.data.email, 1)).length, 1);
  t.is(await inbox.count(event.data.userId), 0, 'nothing went to Cassandra');
});

test('the mail goes to the address the user service holds, never to one the event names', async (t) => {
  const real = await registration();
  const event = {
    ...real,
    data: { ...real.data, email: `${uniqueName('mallory')}@example.net`, name: 'Mallory' },
  };
  t.is(await deliver(url, event), 204);
  const [mail] = await sink.waitFor(real.data.email, 1);
  t.true(mail?.text.startsWith('Hello Ada Lovelace,'));
  t.is(sink.to(event.data.email).length, 0);
  t.like((await inbox.read(real.data.userId)).items, [{ data: { title: 'Welcome, Ada Lovelace!' } }]);
});

test('an event about a user the user service does not know notifies nobody', async (t) => {
  const real = await registration();
  const stray = { id: randomUUID(), data: { ...real.data, userId: randomUUID() } };
  t.is(await deliver(url, stray), 204);
  t.is(await inbox.count(stray.data.userId), 0);
  t.true(await processed(stray.id));
  t.is(sink.to(real.data.email).length, 0);
});

test('with the user service unreachable notify answers 503 and sends nothing, so the trigger redelivers', async (t) => {
  const closed = await smtpSink();
  await closed.close(); // a port nothing listens on
  const blind = await startNotify({ USER_GRPC_ADDRESS: closed.url.replace('smtp://', '') });
  t.teardown(() => blind.close());
  const event = await registration();
  t.deepEqual(await deliverRefused(blind.url('notify'), event), { status: 503, code: 'SERVICE.UNAVAILABLE' });
  t.false(await processed(event.id));
  t.is(sink.to(event.data.email).length, 0);
});
