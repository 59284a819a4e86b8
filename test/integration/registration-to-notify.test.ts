// The user journey across services: a registration's event travels from the user service's outbox through Kafka
// and notify's Trigger (the dev broker, with the Triggers of knative/) to notify, which writes the welcome
// notification to Cassandra and mails it over SMTP; the user then reads it from order-query. The same event
// published again (as the outbox relay does after a crash) notifies once.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { startFunctions, type RunningFunctions } from '../support/functions';
import { smtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestBroker } from '../support/test-broker';
import { uniqueName } from '../support/unique-name';
import { connectTo, dropDatabase } from '../support/sql-fixture';
import { startUserService, type UserServiceUnderTest } from '../support/user-service';

const keyspace = uniqueName('test_journey');
const orderDatabase = uniqueName('test_journey_order');

let users: UserServiceUnderTest;
let orders: RunningFunctions;
let mail: SmtpSink;

test.before(async () => {
  users = await startUserService();
  mail = await smtpSink();
  // The order service's functions this journey passes through: notify writes the inbox, order-query reads it.
  orders = await startFunctions({
    names: ['notify', 'order-query'],
    env: {
      MYSQL_DATABASE: orderDatabase,
      HISTORY_BACKEND: 'cassandra',
      CASSANDRA_KEYSPACE: keyspace,
      SMTP_URL: mail.url,
      USER_GRPC_ADDRESS: users.grpcAddress('user-grpc'),
    },
  });
});

test.after.always(async () => {
  await orders.close();
  await users.close();
  await mail.close();
  const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cassandra.shutdown();
  await dropDatabase(orderDatabase);
});

test('a registration reaches notify through Kafka: inbox, e-mail, and once only when published again', async (t) => {
  const broker = await startTestBroker({ topic: users.eventsTopic, functions: [users, orders] });
  t.teardown(() => broker.close());

  const email = `journey-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a long journey password';
  const registered = await users.call('POST', '/v1/auth/register', {
    body: { email, password, name: 'Journey' },
  });
  t.is(registered.status, 201);

  const toNotify = (outcome: DeliveryOutcome) => outcome.trigger.startsWith('notify');
  const [first] = await broker.waitForDeliveries(toNotify, 1);
  t.like(first, { eventType: 'com.ecom.user.registered', status: 204, delivered: true });
  const [welcome] = await mail.waitFor(email, 1);
  t.is(welcome?.subject, 'Welcome to the shop');

  const login = await users.call('POST', '/v1/auth/login', { body: { email, password } });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const inbox = async () => {
    const response = await orders.call('GET', '/v1/notifications', { token: accessToken });
    t.is(response.status, 200);
    return (await response.json()) as { items: { kind: string; title: string }[]; total: number };
  };
  const page = await inbox();
  t.is(page.total, 1);
  t.like(page.items[0], { kind: 'welcome', title: 'Welcome, Journey!' });

  // As after a crash between publishing and recording it: the relay publishes the same event once more.
  const db = await connectTo(users.database);
  t.teardown(() => db.end());
  await db.query('UPDATE outbox_events SET published_at = NULL');
  const relayed = await fetch(users.url('user-outbox-relay'), { method: 'POST', body: '{}' });
  t.is(relayed.status, 204);
  const [, again] = await broker.waitForDeliveries(toNotify, 2);
  t.like(again, { eventId: first?.eventId, status: 204, delivered: true });
  t.deepEqual(await broker.deadLetters(), []);
  t.is((await inbox()).total, 1, 'one notification');
  t.is(mail.to(email).length, 1, 'one e-mail');
});
