import { HistoryInputError } from './history-errors';

// Lower case only: Cassandra folds unquoted names to lower case, and MySQL table names are case-sensitive on
// Linux. 40 characters keep `history_<name>` within both identifier limits (Cassandra 48, MySQL 64).
const HISTORY_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Checks the name of a history (one table per history, e.g. `order_timeline`). The name is spliced into DDL and
 * queries, so this check is what keeps them free of injection.
 */
export function assertHistoryName(name: string): void {
  if (!HISTORY_NAME.test(name)) {
    throw new HistoryInputError(
      'HISTORY.INVALID_NAME',
      `A history name must match ${HISTORY_NAME.source}, got ${name}`,
    );
  }
}
