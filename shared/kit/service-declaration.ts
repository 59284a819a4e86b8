import type { Sequelize } from 'sequelize';
import type { SessionLookup } from '../auth/session-check';
import type { Migration } from '../sql/migrate';
import type { ExpiringRows } from './retention';

/** The services of the shop; each owns its database, keyspace and functions (functions/<service>/). */
export type Service = 'user' | 'product' | 'order';

/**
 * A service, declared once (`functions/<service>/service.ts`): its name, the versioned SQL migrations of its own
 * tables, and the history streams it keeps (append-only, time-ordered: Cassandra on the cluster, SQL in the
 * embedded stack). The kit adds what every service has: the outbox, the processed-events table of idempotent
 * consumption, and a table for each history on SQL. Pure data: declaring opens nothing.
 */
export interface ServiceDeclaration {
  readonly name: Service;
  readonly migrations: readonly Migration[];
  /** History names, lower case (`notifications`, `order_timeline`): a Cassandra table or `history_<name>`. */
  readonly histories: readonly string[];
  /**
   * The service that keeps the sessions (the user service) says how to confirm one in its own database: each of its
   * routes and methods then does. The other services' admin routes ask it through user-grpc (function-instance.ts).
   */
  readonly sessions?: (database: () => Promise<{ readonly sequelize: Sequelize }>) => SessionLookup;
  /**
   * Rows of its own tables that are of no use after some days: its outbox relay deletes them with the outbox's
   * published events and the processed events of every service (kit/retention.ts).
   */
  readonly expiring?: readonly ExpiringRows[];
}

export function defineService(declaration: ServiceDeclaration): ServiceDeclaration {
  for (const history of declaration.histories) {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(history)) {
      throw new Error(`${declaration.name}: history name ${history} is not lower-case letters, digits and _`);
    }
  }
  return declaration;
}
