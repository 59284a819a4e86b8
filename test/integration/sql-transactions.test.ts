import test from 'ava';
import { DataTypes, Model, QueryTypes, type Sequelize } from 'sequelize';
import { inTransaction } from '../../shared/sql/in-transaction';
import { migrate, migrationsApplied, type Migration } from '../../shared/sql/migrate';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

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

class Stock extends Model {
  declare sku: string;
  declare available: number;
}

function stockModel(sequelize: Sequelize): typeof Stock {
  if (sequelize.models['stock']) return sequelize.models['stock'] as typeof Stock;
  // A model class binds to one Sequelize instance; each instance gets its own subclass.
  return class extends Stock {}.init(
    { sku: { type: DataTypes.STRING, primaryKey: true }, available: DataTypes.INTEGER },
    { sequelize, modelName: 'stock', tableName: 'stock', timestamps: false },
  );
}

/** Reserves one unit with a read-check-write under a row lock; false when none is left. */
async function reserveOne(sequelize: Sequelize, sku: string): Promise<boolean> {
  return inTransaction(sequelize, async (transaction) => {
    const row = await stockModel(sequelize).findByPk(sku, { transaction, lock: transaction.LOCK.UPDATE });
    if (!row || row.available < 1) return false;
    // Give a concurrent transaction time to read the same row if the lock did not hold it back.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sequelize.query('UPDATE stock SET available = ?, reserved = reserved + 1 WHERE sku = ?', {
      replacements: [row.available - 1, sku],
      transaction,
    });
    return true;
  });
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

  test(`${dialect}: row locks prevent overselling under concurrent reservations`, async (t) => {
    const db = await sqlFixture(dialect, 'test_row_lock');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, [stockTable, stockColumn]);
    await db.sequelize.query("INSERT INTO stock (sku, available) VALUES ('sku-1', 5)");
    // Two instances of the function, each with its own pool, 12 buyers for 5 units.
    const instances = [db.sequelize, await db.connectAgain()];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => reserveOne(instances[i % 2] ?? db.sequelize, 'sku-1')),
    );
    t.is(results.filter(Boolean).length, 5);
    t.is(await available(db.sequelize, 'sku-1'), 0);
    const [row] = await db.sequelize.query<{ reserved: number }>(
      "SELECT reserved FROM stock WHERE sku = 'sku-1'",
      {
        type: QueryTypes.SELECT,
      },
    );
    t.is(row?.reserved, 5);
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
