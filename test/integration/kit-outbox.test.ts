// Publishing at commit, through the service kit: a repository appends events in its transaction and does nothing
// more; once the transaction commits they are published (here to a broker ingress, K_SINK), a rolled-back
// transaction publishes nothing, a function that did not declare that it publishes cannot append, and stopping
// an instance waits for publishing in progress.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { HTTP } from 'cloudevents';
import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { defineEvent } from '../../events/event-definition';
import type { NewDomainEvent } from '../../shared/domain/domain-event';
import { defineFunction } from '../../shared/kit/function-definition';
import { defineService } from '../../shared/kit/service-declaration';
import { serviceStores, type StoreEnv } from '../../shared/kit/service-stores';
import type { Logger } from '../../shared/domain/logger';
import { createLogger } from '../../shared/log/logger';
import { OUTBOX_TABLE } from '../../shared/outbox/outbox-migration';
import { ShutdownHooks } from '../../shared/runtime/shutdown';
import { inTransaction } from '../../shared/sql/in-transaction';
import { gate, type Gate } from '../support/gate';
import { memoryLogger } from '../support/memory/memory-logger';
import { connectTo, DIALECTS, sqlFixture } from '../support/sql-fixture';
import { recordStatements } from '../support/statement-log';

const logger = createLogger('kit-outbox-test', { level: 'silent' });
const service = defineService({ name: 'order', migrations: [], histories: [] });
const OrderNoted = defineEvent({
  type: 'com.ecom.order.noted',
  source: '/ecom/order/publisher',
  description: 'a test event',
  data: z.object({ subject: z.string() }),
});
const publisher = defineFunction({
  name: 'publisher',
  service,
  description: 'appends events',
  trigger: { kind: 'http', routes: [] },
  uses: { database: true, events: [OrderNoted] },
});
const silent = defineFunction({ ...publisher, name: 'silent', uses: { database: true } });

const event = (subject: string): NewDomainEvent => ({
  type: OrderNoted.type,
  source: OrderNoted.source,
  subject,
  partitionKey: subject,
  data: { subject },
});

/**
 * A broker ingress that records the subjects it takes, answering after `delayMs` with `status` (a refusal records
 * nothing). `holdNext` keeps the next request waiting until released.
 */
async function ingress(t: ExecutionContext, delayMs = 0) {
  const subjects: string[] = [];
  const waiting: (() => void)[] = [];
  const answer = { status: 202 };
  let held: Gate | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const next = held;
      held = undefined;
      next?.enter();
      void (next?.opened ?? Promise.resolve()).then(() =>
        setTimeout(() => {
          const received = HTTP.toEvent({ headers: req.headers, body: Buffer.concat(chunks).toString() });
          if (answer.status < 300) subjects.push(String((received as { subject?: string }).subject));
          res.writeHead(answer.status).end();
          for (const wake of waiting.splice(0)) wake();
        }, delayMs),
      );
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
    answer,
    /** Resolves once `subject` arrived. */
    async arrival(subject: string) {
      while (!subjects.includes(subject)) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    /** Resolves once a request was answered. */
    answered: () => new Promise<void>((resolve) => waiting.push(resolve)),
    holdNext() {
      held = gate();
      return held;
    },
  };
}

/** How many events of the outbox wait to be published, once the publishing in progress marked what it sent. */
async function unpublished(sequelize: Sequelize): Promise<number> {
  const count = async () => {
    const [row] = await sequelize.query<{ count: number }>(
      `SELECT COUNT(*) AS count FROM ${OUTBOX_TABLE} WHERE published_at IS NULL`,
      { type: QueryTypes.SELECT },
    );
    return Number(row?.count);
  };
  // The mark follows the sink's answer: give it a moment before answering.
  for (let tries = 0; tries < 100; tries++) {
    if ((await count()) === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return count();
}

for (const dialect of DIALECTS) {
  const storesOn = async (
    t: ExecutionContext,
    definition: typeof publisher,
    sinkUrl: string,
    log: Logger = logger,
  ) => {
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
    return { stores: serviceStores({ definition, env, logger: log, hooks }), hooks, target };
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

  // On SQLite the relay's batch holds the one writer lock until the sink answers: a commit waits for it instead.
  if (dialect === 'mysql') {
    test(`${dialect}: a commit while a publish is in flight is published by one more run, with no relay`, async (t) => {
      const sink = await ingress(t);
      const { stores } = await storesOn(t, publisher, sink.url);
      const { sequelize, outbox } = await stores.database();
      const gate = sink.holdNext();
      await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('first')]));
      await gate.inFlight;
      await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('second')]));
      gate.release();
      await sink.arrival('second');
      t.deepEqual(sink.subjects, ['first', 'second']);
    });

    test(`${dialect}: a commit's events go out at once while another instance's relay holds the lock, and are marked published`, async (t) => {
      const sink = await ingress(t);
      const { stores, target } = await storesOn(t, publisher, sink.url);
      const { sequelize, outbox } = await stores.database();
      if (target.dialect !== 'mysql') throw new Error('a MySQL test');
      const other = await connectTo(target.database);
      t.teardown(() => other.end());
      await other.query('SELECT GET_LOCK(?, 30)', [`outbox-relay:${target.database}`]);
      await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('direct')]));
      await sink.arrival('direct');
      t.is(await unpublished(sequelize), 0, 'marked published without the lock');
      await other.query('SELECT RELEASE_LOCK(?)', [`outbox-relay:${target.database}`]);
      t.is(await stores.relay(), 0);
      t.deepEqual(sink.subjects, ['direct']);
    });
  }

  test(`${dialect}: a publish the sink refuses is logged as a warning with its error, and the event waits`, async (t) => {
    const sink = await ingress(t);
    sink.answer.status = 503;
    const log = memoryLogger();
    const { stores } = await storesOn(t, publisher, sink.url, log);
    const { sequelize, outbox } = await stores.database();
    const answered = sink.answered();
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('refused')]));
    await answered;
    while (!log.lines.some((line) => line.level === 'warn'))
      await new Promise((resolve) => setTimeout(resolve, 5));
    const [warning] = log.lines.filter((line) => line.level === 'warn');
    t.is(warning?.msg, 'publishing events failed; the outbox relay will retry');
    t.regex(String((warning?.fields['error'] as Error | undefined)?.message), /answered 503/);
    sink.answer.status = 202;
    t.is(await stores.relay(), 1, 'the relay sends it later');
    t.deepEqual(sink.subjects, ['refused']);
  });

  test(`${dialect}: an event committed while an older one of its key waits unpublished goes out after it, not before`, async (t) => {
    const sink = await ingress(t);
    sink.answer.status = 503;
    const log = memoryLogger();
    const { stores } = await storesOn(t, publisher, sink.url, log);
    const { sequelize, outbox } = await stores.database();
    const ofOneOrder = (subject: string) => ({ ...event(subject), partitionKey: 'order-1' });
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [ofOneOrder('older')]));
    // The warning is the publish run's last act: no run is going once it shows.
    while (!log.lines.some((line) => line.level === 'warn'))
      await new Promise((resolve) => setTimeout(resolve, 5));
    sink.answer.status = 202;
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [ofOneOrder('newer')]));
    await sink.arrival('newer');
    t.deepEqual(sink.subjects, ['older', 'newer']);
    t.is(await unpublished(sequelize), 0, 'both are marked published');
  });

  test(`${dialect}: a commit reads the older events of its keys ${dialect === 'mysql' ? 'while its COMMIT is under way, on another connection' : 'once its COMMIT is done'}, once`, async (t) => {
    const sink = await ingress(t);
    const { stores } = await storesOn(t, publisher, sink.url);
    const { sequelize, outbox } = await stores.database();
    /** How many statements had been asked for when the COMMIT was answered. */
    let askedByCommitAnswer = -1;
    const asked = recordStatements(sequelize, (statement, askedSoFar) => {
      if (statement.sql.startsWith('COMMIT')) askedByCommitAnswer = askedSoFar;
    });
    await inTransaction(sequelize, (transaction) => outbox.append(transaction, [event('first')]));
    await sink.arrival('first');
    const catchUp = asked.flatMap((statement, at) =>
      /published_at IS NULL AND seq < :before/.test(statement.sql) ? [{ ...statement, at }] : [],
    );
    t.is(catchUp.length, 1, 'one read');
    t.false(catchUp[0]?.inTransaction, 'outside the transaction it follows');
    const at = catchUp[0]?.at ?? Number.NaN;
    if (dialect === 'mysql') t.true(at < askedByCommitAnswer, 'asked for before the COMMIT was answered');
    else t.true(at >= askedByCommitAnswer, 'asked for once the COMMIT was answered');
  });

  test(`${dialect}: without declaring events a function appends nothing but may append no events at all`, async (t) => {
    const sink = await ingress(t);
    const { stores } = await storesOn(t, silent, sink.url);
    const { sequelize, outbox } = await stores.database();
    t.deepEqual(await inTransaction(sequelize, (transaction) => outbox.append(transaction, [])), []);
    await t.throwsAsync(stores.relay(), {
      message: 'silent publishes events but does not declare uses.events',
    });
  });
}
