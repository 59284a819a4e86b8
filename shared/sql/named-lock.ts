import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * Runs `work` while holding MySQL's named lock `name` on the database server, waiting up to `timeoutS` for it:
 * instances of a function serialize on it however many run. GET_LOCK belongs to a connection, so a transaction
 * pins one for the lock and its release; `work` uses other connections of the pool as it likes.
 */
export async function withNamedLock<T>(
  sequelize: Sequelize,
  name: string,
  timeoutS: number,
  work: () => Promise<T>,
): Promise<T> {
  return sequelize.transaction(async (transaction) => {
    const [row] = await sequelize.query<{ locked: number | null }>('SELECT GET_LOCK(?, ?) AS locked', {
      replacements: [name, timeoutS],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (row?.locked !== 1) throw new Error(`Timed out waiting for the lock ${name}`);
    try {
      return await work();
    } finally {
      await sequelize.query('SELECT RELEASE_LOCK(?)', { replacements: [name], transaction });
    }
  });
}
