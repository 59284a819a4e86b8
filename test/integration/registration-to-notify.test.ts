// The user journey across services: a registration's event travels from the user service's outbox through
// Kafka and a Trigger (HTTP CloudEvent delivery) to notify, which writes the welcome notification to Cassandra
// and mails it over SMTP; the user then reads it from order-query. A redelivery notifies once.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createConnection } from 'mysql2/promise';
import { UserRegistered } from '../../events/user-registered';
import { NotifyEnv } from '../../functions/order/notify/notify-config';
import { notifyDependencies } from '../../functions/order/notify/notify-dependencies';
import { createNotifyHandler } from '../../functions/order/notify/notify-handler';
import { OrderQueryEnv } from '../../functions/order/order-query/order-query-config';
import { orderQueryDependencies } from '../../functions/order/order-query/order-query-dependencies';
import { createOrderQueryHandler } from '../../functions/order/order-query/order-query-handler';
import {
  createCassandraClient,
  cassandraClientOptions,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { createLogger } from '../../shared/log/logger';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';
import { testKafka } from '../support/kafka-fixture';
import { smtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTriggerDispatcher } from '../support/trigger-dispatcher';
import { uniqueName } from '../support/unique-name';
import { startUserFunctions, type UserFunctions } from '../support/user-functions';

const logger = createLogger('journey-test', { level: 'silent' });
const keyspace = uniqueName('test_journey');
const orderDatabase = uniqueName('test_journey_order');

let users: UserFunctions;
let mail: SmtpSink;
let notify: FunctionUnderTest;
let orderQuery: FunctionUnderTest;

test.before(async () => {
  users = await startUserFunctions();
  mail = await smtpSink();
  const orderEnv = {
    ...process.env,
    MYSQL_DATABASE: orderDatabase,
    HISTORY_BACKEND: 'cassandra',
    CASSANDRA_KEYSPACE: keyspace,
    SMTP_URL: mail.url,
  };
  notify = await serveFunction(
    createNotifyHandler(notifyDependencies(loadConfig(NotifyEnv, orderEnv)), logger),
  );
  orderQuery = await serveFunction(
    createOrderQueryHandler(orderQueryDependencies(loadConfig(OrderQueryEnv, orderEnv)), logger),
  );
});

test.after.always(async () => {
  await notify.close();
  await orderQuery.close();
  await users.close(); // also runs the shutdown hooks: every pool and client of this process closes
  await mail.close();
  const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cassandra.shutdown();
  const mysql = await createConnection({
    host: users.env.MYSQL_HOST,
    port: users.env.MYSQL_PORT,
    user: users.env.MYSQL_USER,
    password: users.env.MYSQL_PASSWORD,
  });
  await mysql.query(`DROP DATABASE IF EXISTS ${orderDatabase}`);
  await mysql.end();
});

test('a registration reaches notify through Kafka: inbox, e-mail, and once only on redelivery', async (t) => {
  const kafka = testKafka(users.env.KAFKA_BROKERS);
  const trigger = await startTriggerDispatcher({
    kafka,
    topic: users.env.EVENTS_TOPIC,
    subscriber: notify.url,
    eventTypes: [UserRegistered.type],
  });
  t.teardown(() => trigger.stop());

  const email = `journey-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a long journey password';
  const registered = await users.call('POST', '/v1/auth/register', {
    body: { email, password, name: 'Journey' },
  });
  t.is(registered.status, 201);
  const { id: userId } = (await registered.json()) as { id: string };

  const [welcome] = await mail.waitFor(email, 1, 30_000);
  t.is(welcome?.subject, 'Welcome to the shop');
  const delivered = (await trigger.waitForDeliveries(1)).find((d) => d.outcome === 'delivered');
  t.is(delivered?.status, 204);

  const login = await users.call('POST', '/v1/auth/login', { body: { email, password } });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const inbox = await fetch(`${orderQuery.url}/v1/notifications`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  t.is(inbox.status, 200);
  const page = (await inbox.json()) as { items: { kind: string; title: string }[]; total: number };
  t.is(page.total, 1);
  t.like(page.items[0], { kind: 'welcome', title: 'Welcome, Journey!' });

  // A second Trigger reads the topic from the beginning: the same event, delivered again.
  const replay = await startTriggerDispatcher({
    kafka,
    topic: users.env.EVENTS_TOPIC,
    subscriber: notify.url,
    eventTypes: [UserRegistered.type],
  });
  t.teardown(() => replay.stop());
  const again = await replay.waitForDeliveries(1);
  t.true(again.every((d) => d.status === 204));
  const after = (await (
    await fetch(`${orderQuery.url}/v1/notifications`, { headers: { authorization: `Bearer ${accessToken}` } })
  ).json()) as { total: number };
  t.is(after.total, 1, 'one notification');
  t.is(mail.to(email).length, 1, 'one e-mail');
  t.truthy(userId);
});
