// Publishing at commit, through the service kit: a repository appends events in its transaction and does nothing
// more; once the transaction commits they are published (here to a broker ingress, K_SINK), a rolled-back
// transaction publishes nothing, a function that did not declare that it publishes cannot append, and stopping
// an instance waits for publishing in progress.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { HTTP } from 'cloudevents';
import type { NewDomainEvent } from '../../shared/domain/domain-event';
import { defineFunction } from '../../shared/kit/function-definition';
import { defineService } from '../../shared/kit/service-declaration';
import { serviceStores, type StoreEnv } from '../../shared/kit/service-stores';
import { createLogger } from '../../shared/log/logger';
import { ShutdownHooks } from '../../shared/runtime/shutdown';
import { inTransaction } from '../../shared/sql/in-transaction';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

const logger = createLogger('kit-outbox-test', { level: 'silent' });
const service = defineService({ name: 'order', migrations: [], histories: [] });
const publisher = defineFunction({
  name: 'publisher',
  service,
  description: 'appends events',
  trigger: { kind: 'http', routes: [] },
  uses: { database: true, events: true },
});
const silent = defineFunction({ ...publisher, name: 'silent', uses: { database: true } });

const event = (subject: string): NewDomainEvent => ({
  type: 'com.ecom.order.noted',
  source: '/ecom/order/test',
  subject,
  partitionKey: subject,
  data: { subject },
});

/** A broker ingress that records the subjects it takes, answering after `delayMs`. */
async function ingress(t: ExecutionContext, delayMs = 0) {
  const subjects: string[] = [];
  const waiting: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        const received = HTTP.toEvent({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        subjects.push(String((received as { subject?: string }).subject));
        res.writeHead(202).end();
        for (const wake of waiting.splice(0)) wake();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ecom/ecom-broker`,
    subjects,
    /** Resolves once `subject` arrived. */
    async arrival(subject: string) {
      while (!subjects.includes(subject)) await new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
}

for (const dialect of DIALECTS) {
  const storesOn = async (t: ExecutionContext, definition: typeof publisher, sinkUrl: string) => {
    const db = await sqlFixture(dialect, 'test_kit_outbox');
    const hooks = new ShutdownHooks();
    t.teardown(async () => {
      await hooks.run(() => undefined);
      await db.drop();
    });
    const target = db.target;
    const env: StoreEnv = {
      database: {
        DB_DIALECT: dialect,
        SQLITE_DIR: target.dialect === 'sqlite' ? target.storage.replace(/\/[^/]+$/, '') : '.data',
        MYSQL_HOST: target.dialect === 'mysql' ? target.host : '',
        MYSQL_PORT: target.dialect === 'mysql' ? target.port : 0,
        MYSQL_USER: target.dialect === 'mysql' ? target.user : '',
        MYSQL_PASSWORD: target.dialect === 'mysql' ? target.password : '',
        MYSQL_DATABASE: target.dialect === 'mysql' ? target.database : undefined,
      },
      events: { KAFKA_BROKERS: [], KAFKA_CLIENT_ID: 'test', EVENTS_TOPIC: 'unused', K_SINK: sinkUrl },
    };
    return { stores: serviceStores({ definition, env, logger, hooks }), hooks };
  };

  test(`${dialect}: events appended in a transaction are published once it commits, never after a rollback`, async (t) => {
    const sink = await ingress(t);
    const { stores } = await storesOn(t, publisher, sink.url);
    const { sequelize, outbox } = await stores.database();

    await t.throwsAsync(
      inTransaction(sequelize, async (transaction) => {
        await outbox.append(transaction, [event('rolled-back')]);
        throw new Error('the change fails');
      }),
      { message: 'the change fails' },
    );
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('committed')]));
    await sink.arrival('committed');
    t.deepEqual(sink.subjects, ['committed']);
  });

  test(`${dialect}: a function that does not declare that it publishes cannot append`, async (t) => {
    const sink = await ingress(t);
    const { stores } = await storesOn(t, silent, sink.url);
    const { sequelize, outbox } = await stores.database();
    await t.throwsAsync(
      inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('undeclared')])),
      { message: /silent appends events but does not declare uses\.events/ },
    );
  });

  test(`${dialect}: stopping waits for the publishing a commit started`, async (t) => {
    const sink = await ingress(t, 300);
    const { stores, hooks } = await storesOn(t, publisher, sink.url);
    const { sequelize, outbox } = await stores.database();
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('in flight')]));
    await hooks.run(() => undefined);
    t.deepEqual(sink.subjects, ['in flight']);
  });
}
