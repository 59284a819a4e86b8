import { randomUUID } from 'node:crypto';
import test from 'ava';
import { DataTypes, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { consumeOnce } from '../../shared/idempotency/consume-once';
import { processedEventsMigration } from '../../shared/idempotency/processed-events-migration';
import { migrate, type Migration } from '../../shared/sql/migrate';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

/** The effect under test: crediting loyalty points, which must happen once per event. */
const pointsTable: Migration = {
  name: '0100-points',
  async up({ queryInterface }) {
    await queryInterface.createTable('points', {
      user_id: { type: DataTypes.STRING(50), primaryKey: true },
      balance: { type: DataTypes.INTEGER, allowNull: false },
    });
  },
};

async function credit(sequelize: Sequelize, transaction: Transaction, userId: string, amount: number) {
  await sequelize.query('UPDATE points SET balance = balance + ? WHERE user_id = ?', {
    replacements: [amount, userId],
    transaction,
  });
  return amount;
}

async function balance(sequelize: Sequelize, userId: string): Promise<number | undefined> {
  const [row] = await sequelize.query<{ balance: number }>('SELECT balance FROM points WHERE user_id = ?', {
    replacements: [userId],
    type: QueryTypes.SELECT,
  });
  return row?.balance;
}

for (const dialect of DIALECTS) {
  const setup = async () => {
    const db = await sqlFixture(dialect, 'test_consume_once');
    await migrate(db.sequelize, [processedEventsMigration, pointsTable]);
    await db.sequelize.query("INSERT INTO points (user_id, balance) VALUES ('u1', 0)");
    return db;
  };

  test(`${dialect}: a replayed event has no second effect`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const eventId = randomUUID();
    const apply = () =>
      consumeOnce(db.sequelize, 'loyalty', eventId, (tx) => credit(db.sequelize, tx, 'u1', 10));
    t.deepEqual(await apply(), { duplicate: false, result: 10 });
    t.deepEqual(await apply(), { duplicate: true });
    t.is(await balance(db.sequelize, 'u1'), 10);
  });

  test(`${dialect}: each consumer applies the same event once`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const eventId = randomUUID();
    await consumeOnce(db.sequelize, 'loyalty', eventId, (tx) => credit(db.sequelize, tx, 'u1', 10));
    const other = await consumeOnce(db.sequelize, 'audit', eventId, (tx) =>
      credit(db.sequelize, tx, 'u1', 1),
    );
    t.false(other.duplicate);
    t.is(await balance(db.sequelize, 'u1'), 11);
  });

  test(`${dialect}: concurrent deliveries of one event apply it once`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const eventId = randomUUID();
    const instances = [db.sequelize, await db.connectAgain()];
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const sequelize = instances[i % 2] ?? db.sequelize;
        return consumeOnce(sequelize, 'loyalty', eventId, (tx) => credit(sequelize, tx, 'u1', 10));
      }),
    );
    t.is(outcomes.filter((o) => !o.duplicate).length, 1);
    t.is(await balance(db.sequelize, 'u1'), 10);
  });

  test(`${dialect}: a failed effect is not recorded, so the retry applies it`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const eventId = randomUUID();
    await t.throwsAsync(
      consumeOnce(db.sequelize, 'loyalty', eventId, async (tx) => {
        await credit(db.sequelize, tx, 'u1', 10);
        throw new Error('downstream unavailable');
      }),
      { message: 'downstream unavailable' },
    );
    t.is(await balance(db.sequelize, 'u1'), 0);
    const retry = await consumeOnce(db.sequelize, 'loyalty', eventId, (tx) =>
      credit(db.sequelize, tx, 'u1', 10),
    );
    t.false(retry.duplicate);
    t.is(await balance(db.sequelize, 'u1'), 10);
  });

  test(`${dialect}: a unique violation inside the effect is the effect's error, not a duplicate`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const error = await t.throwsAsync(
      consumeOnce(db.sequelize, 'loyalty', randomUUID(), async (tx) => {
        await db.sequelize.query("INSERT INTO points (user_id, balance) VALUES ('u1', 5)", {
          transaction: tx,
        });
      }),
    );
    t.is(error.name, 'SequelizeUniqueConstraintError');
  });
}
