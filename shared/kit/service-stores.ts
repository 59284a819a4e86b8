import type { Client } from 'cassandra-driver';
import type { Sequelize } from 'sequelize';
import type { EventSink } from '../domain/domain-event';
import type { HistoryStore } from '../domain/history-store';
import type { Logger } from '../domain/logger';
import type { OncePerEvent } from '../domain/once-per-event';
import { asAppError, serviceUnavailable } from '../errors/unavailable';
import type { HistoryEnv } from '../history/history-env';
import type { EventSinkEnv } from '../messaging/event-sink-env';
import { lazy } from '../runtime/lazy';
import type { ShutdownHooks } from '../runtime/shutdown';
import { createSequelize } from '../sql/create-sequelize';
import { serviceSqlTarget, type SchemaMigrations, type ServiceDatabaseEnv } from '../sql/service-database';
import type { FunctionDefinition } from './function-definition';
import { declaredEvents } from './declared-events';
import { outboxPublisher, type Outbox, type OutboxPublisher } from './outbox';
import { SchemaNotMigrated } from './schema-not-migrated';
import { prepareServiceDatabase } from './service-schema';
import { onCodeCacheWarmUp } from '../runtime/code-cache-warm-up';

/** The service database as repositories use it: the connection pool, and the outbox to write events to. */
export interface ServiceDatabase {
  readonly sequelize: Sequelize;
  readonly outbox: Outbox;
}

/**
 * The stores of a service in one function instance. Nothing opens when this is built: each store opens on first
 * use, is migrated once before it is handed out (or, with SCHEMA_MIGRATIONS=job, checked to be migrated by the
 * service's migration Job), is reused afterwards, and closes with the instance. A store that cannot be opened or
 * migrated, or that the Job has not migrated yet, is the service being unavailable (503, gRPC UNAVAILABLE, a
 * redelivered event), and the next use tries again.
 */
export interface ServiceStores {
  database(): Promise<ServiceDatabase>;
  /** One of the histories the function declared, on HISTORY_BACKEND. */
  history(name: string): Promise<HistoryStore>;
  /** Idempotent consumption of events for `consumer`, recorded in the service database. */
  oncePerEvent(consumer: string): OncePerEvent;
  /** Publishes what the outbox holds; throws when the sink does not take it (the relay function's work). */
  relay(): Promise<number>;
  /** Deletes the rows the service database keeps for a time only, as of `now` (kit/retention.ts): how many, by table. */
  deleteExpired(now: Date): Promise<Record<string, number>>;
}

/** The parsed settings of the stores a function declared (function-env.ts). */
export interface StoreEnv {
  /** SCHEMA_MIGRATIONS may be left out here (a test's settings): it then means `at-start`, as its default does. */
  readonly database?: Omit<ServiceDatabaseEnv, 'SCHEMA_MIGRATIONS'> & {
    readonly SCHEMA_MIGRATIONS?: SchemaMigrations;
  };
  readonly events?: EventSinkEnv;
  readonly histories?: HistoryEnv;
}

export function serviceStores(options: {
  readonly definition: FunctionDefinition;
  readonly env: StoreEnv;
  readonly logger: Logger;
  readonly hooks: ShutdownHooks;
}): ServiceStores {
  const { definition, env, logger, hooks } = options;
  const service = definition.service;
  const undeclared = (what: string) => new Error(`${definition.name} uses ${what} but does not declare it`);
  const opening = <T>(open: () => Promise<T>) =>
    open().catch((error: unknown) => {
      // The one failure an operator must act on rather than wait out: say so on every attempt.
      if (error instanceof SchemaNotMigrated)
        logger.error(error.message, { store: error.store, pending: error.pending, job: error.job });
      throw asAppError(error) ?? serviceUnavailable(error);
    });
  // Who migrates: this instance before first use, or the service's migration Job (then this only checks).
  const schemaMigrations = env.database?.SCHEMA_MIGRATIONS ?? 'at-start';

  let sequelize: Sequelize | undefined;
  let publisher: OutboxPublisher | undefined;
  let sink: EventSink | undefined;
  let cassandra: Client | undefined;
  const openSink = lazy('event sink', async () => {
    const settings = env.events;
    if (!settings) throw undeclared('events');
    // Loaded here: only functions that publish load a transport, and only the one they are configured with.
    if (settings.K_SINK) {
      const { httpEventSink } = await import('../messaging/http-event-sink');
      sink = httpEventSink(settings.K_SINK);
    } else {
      const { kafkaEventSink } = await import('../messaging/kafka-event-sink');
      const { createKafka, kafkaConnection } = await import('../kafka/create-kafka');
      // Brokers, client id, TLS and SASL, all from the function's environment (KafkaEnv).
      const kafka = await createKafka(kafkaConnection(settings), logger);
      sink = kafkaEventSink(kafka, settings.EVENTS_TOPIC);
    }
    return sink;
  });

  const database = lazy('service database', () =>
    opening(async () => {
      if (!env.database) throw undeclared('the database');
      const target = serviceSqlTarget(env.database, service.name);
      const { uses } = definition;
      const pool =
        typeof uses.database === 'object'
          ? {
              max: uses.database.pool,
              ...(uses.database.isolation ? { isolation: uses.database.isolation } : {}),
            }
          : {};
      const opened = await createSequelize(target, pool);
      sequelize = opened;
      await prepareServiceDatabase(service, target, opened, schemaMigrations);
      publisher = outboxPublisher({
        sequelize: opened,
        sink: definition.uses.events ? openSink : undefined,
        logger,
        declared: declaredEvents(definition),
      });
      return { sequelize: opened, outbox: publisher };
    }),
  );

  const keyspace = lazy('service keyspace', () =>
    opening(async () => {
      if (!env.histories) throw undeclared('a history');
      // Loaded here: only functions that keep histories on Cassandra load the driver, and only when first used.
      const { openCassandraHistories } = await import('./cassandra-histories');
      return openCassandraHistories(
        service,
        env.histories,
        (client) => {
          cassandra = client;
        },
        schemaMigrations,
      );
    }),
  );
  if (env.histories?.HISTORY_BACKEND === 'cassandra') {
    onCodeCacheWarmUp(async () => {
      const { rehearseCassandra } = await import('../cassandra/create-cassandra-client');
      await rehearseCassandra();
    });
  }

  hooks.add('service stores', async () => {
    // Publishing in progress needs the database and the sink: let it end first.
    await publisher?.settle();
    await sink?.close();
    await sequelize?.close();
    await cassandra?.shutdown();
  });

  return {
    database,
    async history(name) {
      if (!definition.uses.histories?.includes(name)) throw undeclared(`the history ${name}`);
      if (env.histories?.HISTORY_BACKEND === 'sql') {
        const { createSqlHistoryStore } = await import('../history/sql-history-store');
        return createSqlHistoryStore((await database()).sequelize, name);
      }
      return (await keyspace()).history(name);
    },
    oncePerEvent: (consumer) => async (eventId, effect) => {
      const { sqlOncePerEvent } = await import('../idempotency/sql-once-per-event');
      return sqlOncePerEvent(async () => (await database()).sequelize, consumer)(eventId, effect);
    },
    async relay() {
      return (await database()).outbox.relay();
    },
    async deleteExpired(now) {
      const { deleteExpiredRows, expiringRowsOf } = await import('./retention');
      const { sequelize } = await database();
      return deleteExpiredRows(sequelize, expiringRowsOf(definition.service.expiring), now);
    },
  };
}
