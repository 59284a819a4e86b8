import test, { type ExecutionContext } from 'ava';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { inTransaction, whenCommitting } from '../../shared/sql/in-transaction';
import { migrate, migrationsApplied, type Migration } from '../../shared/sql/migrate';
import { withNamedLock } from '../../shared/sql/named-lock';
import type { IsolationLevel } from '../../shared/sql/session-isolation';
import { connectTo, DIALECTS, sqlFixture } from '../support/sql-fixture';
import { recordStatements } from '../support/statement-log';

const stockTable: Migration = {
  name: '0001-stock',
  async up({ queryInterface }) {
    await queryInterface.createTable('stock', {
      sku: { type: DataTypes.STRING(50), primaryKey: true },
      available: { type: DataTypes.INTEGER, allowNull: false },
    });
  },
};
const stockColumn: Migration = {
  name: '0002-stock-reserved',
  async up({ queryInterface }) {
    await queryInterface.addColumn('stock', 'reserved', {
      type: DataTypes.INTEGER,
      allowNull: false,
      defaultValue: 0,
    });
  },
};

async function available(sequelize: Sequelize, sku: string): Promise<number | undefined> {
  const [row] = await sequelize.query<{ available: number }>('SELECT available FROM stock WHERE sku = ?', {
    replacements: [sku],
    type: QueryTypes.SELECT,
  });
  return row?.available;
}

for (const dialect of DIALECTS) {
  test(`${dialect}: migrations apply once, in name order, and are recorded`, async (t) => {
    const db = await sqlFixture(dialect, 'test_migrate');
    t.teardown(() => db.drop());
    t.deepEqual(await migrate(db.sequelize, [stockColumn, stockTable]), [
      '0001-stock',
      '0002-stock-reserved',
    ]);
    t.deepEqual(await migrate(db.sequelize, [stockTable, stockColumn]), []);
    const recorded = await db.sequelize.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name',
      {
        type: QueryTypes.SELECT,
      },
    );
    t.deepEqual(
      recorded.map((r) => r.name),
      ['0001-stock', '0002-stock-reserved'],
    );
  });

  test(`${dialect}: instances starting together migrate once between them`, async (t) => {
    const db = await sqlFixture(dialect, 'test_migrate_race');
    t.teardown(() => db.drop());
    const instances = await Promise.all([1, 2, 3, 4].map(() => db.connectAgain()));
    const applied = await Promise.all(instances.map((s) => migrate(s, [stockTable, stockColumn])));
    t.deepEqual(applied.flat().sort(), ['0001-stock', '0002-stock-reserved']);
  });

  test(`${dialect}: a transaction that throws changes nothing`, async (t) => {
    const db = await sqlFixture(dialect, 'test_rollback');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, [stockTable, stockColumn]);
    await db.sequelize.query("INSERT INTO stock (sku, available) VALUES ('a', 3)");
    await t.throwsAsync(
      inTransaction(db.sequelize, async (transaction) => {
        await db.sequelize.query("UPDATE stock SET available = 0 WHERE sku = 'a'", { transaction });
        throw new Error('business rule failed');
      }),
      { message: 'business rule failed' },
    );
    t.is(await available(db.sequelize, 'a'), 3);
  });

  test(`${dialect}: whenCommitting starts its work after the transaction's last statement and before its COMMIT, and never on a rollback`, async (t) => {
    const db = await sqlFixture(dialect, 'test_when_committing');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, [stockTable]);
    const asked = recordStatements(db.sequelize);
    const textOf = (at: number) => asked[at]?.sql.trim().replace(/;$/, '');
    const startedAfter: string[] = [];
    const note = (label: string) => () =>
      startedAfter.push(`${label} after ${String(textOf(asked.length - 1))}`);
    await inTransaction(db.sequelize, async (transaction) => {
      await db.sequelize.query("INSERT INTO stock (sku, available) VALUES ('a', 1)", { transaction });
      t.true(whenCommitting(transaction, note('started')), 'inTransaction runs it');
    });
    t.deepEqual(startedAfter, ["started after INSERT INTO stock (sku, available) VALUES ('a', 1)"]);
    t.is(textOf(asked.length - 1), 'COMMIT', 'then the COMMIT');

    await t.throwsAsync(
      inTransaction(db.sequelize, async (transaction) => {
        await db.sequelize.query("UPDATE stock SET available = 0 WHERE sku = 'a'", { transaction });
        whenCommitting(transaction, note('started on a rollback'));
        throw new Error('business rule failed');
      }),
    );
    const unmanaged = await db.sequelize.transaction();
    t.false(whenCommitting(unmanaged, note('never')), 'a transaction of its own: nothing runs');
    await unmanaged.commit();
    t.is(startedAfter.length, 1, 'nothing started on the rollback, nor for a transaction of its own');
  });
}

for (const dialect of DIALECTS) {
  test(`${dialect}: migrationsApplied tells an up-to-date schema from a missing or older one`, async (t) => {
    const db = await sqlFixture(dialect, 'test_migrations_applied');
    t.teardown(() => db.drop());
    t.false(await migrationsApplied(db.sequelize, [stockTable]), 'no migrations table yet');
    await migrate(db.sequelize, [stockTable]);
    t.true(await migrationsApplied(db.sequelize, [stockTable]));
    t.false(await migrationsApplied(db.sequelize, [stockTable, stockColumn]), 'a newer migration is pending');
  });
}

test('mysql: a transaction InnoDB picks as a deadlock victim runs again, and both changes land', async (t) => {
  const db = await sqlFixture('mysql', 'test_deadlock');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, [stockTable, stockColumn]);
  const fillers = Array.from({ length: 50 }, (_, i) => `('filler-${i}', 1)`).join(', ');
  await db.sequelize.query(`INSERT INTO stock (sku, available) VALUES ('a', 1), ('b', 1), ${fillers}`);
  const database = db.target.dialect === 'mysql' ? db.target.database : '';
  const other = await connectTo(database);
  t.teardown(() => other.end());
  const waitingOn = async (sqlStart: string) => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const [rows] = await other.query(
        'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE ?',
        [database, `${sqlStart}%`],
      );
      if ((rows as { n: number }[])[0]?.n === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`nothing waited on: ${sqlStart}`);
  };

  // The other transaction changes many rows, then b: InnoDB rolls back the smaller one of a deadlock, ours.
  await other.beginTransaction();
  await other.query("UPDATE stock SET reserved = reserved + 1 WHERE sku LIKE 'filler-%'");
  await other.query("UPDATE stock SET reserved = reserved + 1 WHERE sku = 'b'");
  let attempts = 0;
  const ours = inTransaction(db.sequelize, async (transaction) => {
    attempts += 1;
    await db.sequelize.query("UPDATE stock SET available = available + 10 WHERE sku = 'a'", { transaction });
    await db.sequelize.query("UPDATE stock SET available = available + 10 WHERE sku = 'b'", { transaction });
  });
  await waitingOn("UPDATE stock SET available = available + 10 WHERE sku = 'b'");
  // Now the other one asks for a, which ours holds: a deadlock, and ours is the victim.
  await other.query("UPDATE stock SET reserved = reserved + 1 WHERE sku = 'a'");
  await other.commit();
  await ours;

  t.is(attempts, 2, 'the victim ran again once');
  const rows = await db.sequelize.query<{ sku: string; available: number; reserved: number }>(
    "SELECT sku, available, reserved FROM stock WHERE sku IN ('a', 'b') ORDER BY sku",
    { type: QueryTypes.SELECT },
  );
  t.deepEqual(rows, [
    { sku: 'a', available: 11, reserved: 1 },
    { sku: 'b', available: 11, reserved: 1 },
  ]);
});

/**
 * A MariaDB table read twice in one transaction on a one-connection pool that starts at `session`, while another
 * connection changes it between the reads; and the statements that pool sent.
 */
async function isolationProbe(t: ExecutionContext, prefix: string, session?: IsolationLevel) {
  const db = await sqlFixture('mysql', prefix);
  t.teardown(() => db.drop());
  await migrate(db.sequelize, [stockTable]);
  await db.sequelize.query("INSERT INTO stock (sku, available) VALUES ('a', 1)");
  const other = await connectTo(db.target.dialect === 'mysql' ? db.target.database : '');
  t.teardown(() => other.end());
  const one = await db.connectAgain({ max: 1, ...(session ? { isolation: session } : {}) });
  const sent = recordStatements(one);
  let bump = 1;
  const readTwice = (isolation?: IsolationLevel) =>
    inTransaction(
      one,
      async (transaction) => {
        const first = await one.query<{ available: number }>("SELECT available FROM stock WHERE sku = 'a'", {
          type: QueryTypes.SELECT,
          transaction,
        });
        bump += 1;
        await other.query("UPDATE stock SET available = ? WHERE sku = 'a'", [bump]);
        const second = await one.query<{ available: number }>("SELECT available FROM stock WHERE sku = 'a'", {
          type: QueryTypes.SELECT,
          transaction,
        });
        return [first[0]?.available, second[0]?.available];
      },
      isolation ? { isolation } : {},
    );
  /** The `SET TRANSACTION` statements sent since the last call. */
  const levelsSet = () =>
    sent
      .splice(0)
      .map(({ sql }) => sql)
      .filter((sql) => /^SET (SESSION )?TRANSACTION/i.test(sql));
  return { readTwice, levelsSet };
}

test('mysql: a transaction reads one snapshot (REPEATABLE READ), a read-committed one sees what commits meanwhile, and neither level outlives its transaction', async (t) => {
  const { readTwice, levelsSet } = await isolationProbe(t, 'test_isolation');
  // One connection throughout: each transaction after another on it, in every order.
  t.deepEqual(await readTwice(), [1, 1], 'the default is one snapshot');
  t.deepEqual(levelsSet(), [], 'the level the connection starts at: no statement to set it');
  t.deepEqual(await readTwice('read-committed'), [2, 3]);
  t.is(levelsSet().length, 1);
  t.deepEqual(await readTwice(), [3, 3], 'the read-committed transaction before left nothing behind');
});

test('mysql: a pool that starts its connections at READ COMMITTED sets no level for such a transaction, and a default one still reads one snapshot', async (t) => {
  const { readTwice, levelsSet } = await isolationProbe(t, 'test_isolation_rc', 'read-committed');
  t.deepEqual(await readTwice('read-committed'), [1, 2]);
  t.deepEqual(levelsSet(), [], 'no SET TRANSACTION: the connection is there already');
  t.deepEqual(await readTwice(), [2, 2], 'REPEATABLE READ when asked');
  t.is(levelsSet().length, 1);
  t.deepEqual(await readTwice('read-committed'), [3, 4], 'and back at its own level after it');
});

test('mysql: a named lock held elsewhere times out with an error, and the work never runs', async (t) => {
  const db = await sqlFixture('mysql', 'test_named_lock');
  t.teardown(() => db.drop());
  const database = db.target.dialect === 'mysql' ? db.target.database : '';
  const holder = await connectTo(database);
  t.teardown(() => holder.end());
  const name = `test-lock:${database}`;
  const [held] = await holder.query('SELECT GET_LOCK(?, 0) AS locked', [name]);
  t.deepEqual(held, [{ locked: 1 }]);

  let ran = false;
  await t.throwsAsync(
    withNamedLock(db.sequelize, name, 1, () => {
      ran = true;
      return Promise.resolve();
    }),
    { message: `Timed out waiting for the lock ${name}` },
  );
  t.false(ran);
  await holder.query('SELECT RELEASE_LOCK(?)', [name]);
  t.is(await withNamedLock(db.sequelize, name, 1, () => Promise.resolve('ran')), 'ran');
});
