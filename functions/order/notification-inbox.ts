import type { Client } from 'cassandra-driver';
import type { Sequelize } from 'sequelize';
import { isAppError } from '../../shared/errors/app-error';
import { createCassandraHistoryStore } from '../../shared/history/cassandra-history-store';
import type { HistoryStore } from '../../shared/domain/history-store';
import { createSqlHistoryStore } from '../../shared/history/sql-history-store';
import { NOTIFICATIONS_HISTORY } from './order-migrations';
import { notificationsUnavailable } from './unavailable';

/** Where the inboxes live: per HISTORY_BACKEND, a migrated keyspace or the migrated service database. */
export type NotificationInboxBackend =
  | { readonly kind: 'cassandra'; readonly client: Client; readonly keyspace: string }
  | { readonly kind: 'sql'; readonly sequelize: Sequelize };

/**
 * The users' notification inboxes as a HistoryStore: one stream per user id, one entry per notification (its id the
 * id of the event that caused it). Its failures are AppErrors: input the store refuses is `invalid` (an event that
 * carries it is dead-lettered, a request gets 400), any other failure is `unavailable` (retried, 503).
 */
export function notificationInbox(backend: NotificationInboxBackend): HistoryStore {
  const store =
    backend.kind === 'sql'
      ? createSqlHistoryStore(backend.sequelize, NOTIFICATIONS_HISTORY)
      : createCassandraHistoryStore(backend.client, {
          keyspace: backend.keyspace,
          name: NOTIFICATIONS_HISTORY,
        });
  return {
    append: (stream, entry) => store.append(stream, entry).catch(rethrow),
    read: (stream, options) => store.read(stream, options).catch(rethrow),
    count: (stream) => store.count(stream).catch(rethrow),
  };
}

function rethrow(error: unknown): never {
  // Input the store refused (a HistoryInputError, 400) passes through; anything else is the store being down.
  if (isAppError(error)) throw error;
  throw notificationsUnavailable(error);
}
