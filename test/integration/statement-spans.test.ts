// Each SQL and CQL statement a traced request sends is a CLIENT span, child of the request's span, named by its
// shape and holding its text without a value; outside a traced span a statement makes no span. Real MariaDB, SQLite
// and Cassandra, under a tracer provider registered here with an in-memory exporter.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import test from 'ava';
import { DataTypes, QueryTypes } from 'sequelize';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { inTransaction } from '../../shared/sql/in-transaction';
import { registerTracing } from '../../shared/tracing/register-tracing';
import { tracer } from '../../shared/tracing/tracer';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

const exporter = new InMemorySpanExporter();
registerTracing({ spanProcessor: new SimpleSpanProcessor({ exporter }) });

const EMAIL = 'alice.statement@example.com';
const TOKEN_HASH = 'f3a9c1d2e4b5a6978812';

/** Runs `work` in a request-like span; answers the spans recorded under it. */
async function underRequest(work: () => Promise<unknown>): Promise<readonly ReadableSpan[]> {
  const spanId = await tracer().startActiveSpan('request', async (span) => {
    try {
      await work().catch(() => undefined);
    } finally {
      span.end();
    }
    return span.spanContext().spanId;
  });
  return exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === spanId);
}

function assertNoValue(t: { false(value: boolean, message?: string): void }, spans: readonly ReadableSpan[]) {
  const text = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes })));
  t.false(text.includes(EMAIL), 'no e-mail address in a statement span');
  t.false(text.includes(TOKEN_HASH), 'no token in a statement span');
}

for (const dialect of DIALECTS) {
  test.serial(
    `${dialect}: a model's statements and a transaction's are spans of the request, without values`,
    async (t) => {
      const db = await sqlFixture(dialect, 'test_stmt_spans');
      t.teardown(() => db.drop());
      const Account = db.sequelize.define(
        'Account',
        {
          email: { type: DataTypes.STRING(100), primaryKey: true },
          tokenHash: { type: DataTypes.STRING(64), allowNull: false },
        },
        { tableName: 'accounts' },
      );
      await Account.sync();

      const spans = await underRequest(async () => {
        await inTransaction(db.sequelize, async (transaction) => {
          await Account.create({ email: EMAIL, tokenHash: TOKEN_HASH }, { transaction });
        });
        await Account.findOne({ where: { email: EMAIL, tokenHash: TOKEN_HASH } });
        await db.sequelize.query('SELECT email FROM accounts WHERE email = ?', {
          replacements: [EMAIL],
          type: QueryTypes.SELECT,
        });
      });

      const system = dialect === 'mysql' ? 'mariadb' : 'sqlite';
      const names = spans.map((span) => span.name);
      t.true(names.includes('INSERT accounts'), names.join(', '));
      t.is(names.filter((name) => name === 'SELECT accounts').length, 2, names.join(', '));
      t.true(names.includes('COMMIT'), names.join(', '));
      for (const span of spans) {
        t.is(span.kind, SpanKind.CLIENT);
        t.is(span.attributes['db.system.name'], system);
      }
      const select = spans.find((span) => span.name === 'SELECT accounts');
      t.regex(String(select?.attributes['db.query.text']), /FROM `accounts`.*WHERE .*`email` = \?/);
      t.is(select?.attributes['db.collection.name'], 'accounts');
      if (dialect === 'mysql')
        t.is(select?.attributes['db.namespace'], (db.target as { database: string }).database);
      assertNoValue(t, spans);
    },
  );

  test.serial(
    `${dialect}: a failed statement is an error span with the error's class, never its message`,
    async (t) => {
      const db = await sqlFixture(dialect, 'test_stmt_error');
      t.teardown(() => db.drop());
      await db.sequelize.query('CREATE TABLE accounts (email VARCHAR(100) PRIMARY KEY)');
      const insert = () =>
        db.sequelize.query('INSERT INTO accounts (email) VALUES (?)', {
          replacements: [EMAIL],
          type: QueryTypes.INSERT,
        });
      await insert();

      const [span] = await underRequest(insert);

      t.is(span?.name, 'INSERT accounts');
      t.is(span?.status.code, SpanStatusCode.ERROR);
      t.is(span?.status.message, undefined);
      t.is(span?.attributes['error.type'], 'SequelizeUniqueConstraintError');
      t.deepEqual(span?.events, []);
      assertNoValue(t, span ? [span] : []);
    },
  );
}

test.serial('a statement outside any traced span makes no span', async (t) => {
  const db = await sqlFixture('mysql', 'test_stmt_untraced');
  t.teardown(() => db.drop());
  exporter.reset();
  await db.sequelize.query('SELECT 1');
  t.deepEqual(exporter.getFinishedSpans(), []);
});

test.serial('a Cassandra statement is a span of the request, its values left out', async (t) => {
  const keyspace = uniqueName('test_stmt_spans');
  const client = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  t.teardown(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });
  await client.execute(
    `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  await client.execute(`CREATE TABLE ${keyspace}.accounts (email text PRIMARY KEY, secret text)`);

  const spans = await underRequest(async () => {
    await client.execute(
      `INSERT INTO ${keyspace}.accounts (email, secret) VALUES (?, ?)`,
      [EMAIL, TOKEN_HASH],
      {
        prepare: true,
      },
    );
    await client.execute(`SELECT secret FROM ${keyspace}.accounts WHERE email = ?`, [EMAIL], {
      prepare: true,
    });
  });

  t.deepEqual(
    spans.map((span) => span.name),
    [`INSERT ${keyspace}.accounts`, `SELECT ${keyspace}.accounts`],
  );
  const [, select] = spans;
  t.is(select?.kind, SpanKind.CLIENT);
  t.is(select?.attributes['db.system.name'], 'cassandra');
  t.is(select?.attributes['db.query.text'], `SELECT secret FROM ${keyspace}.accounts WHERE email = ?`);
  assertNoValue(t, spans);
});
