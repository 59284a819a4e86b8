import type { Sequelize } from 'sequelize';
import type { RefreshTokenStore, UserRepository } from '../../shared/domain/user/user-ports';
import { createKafka } from '../../shared/kafka/create-kafka';
import type { Logger } from '../../shared/log/logger';
import { httpEventSink } from '../../shared/messaging/http-event-sink';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { lazy } from '../../shared/runtime/lazy';
import { createSequelize, ensureDatabase } from '../../shared/sql/create-sequelize';
import { migrate, migrationsApplied } from '../../shared/sql/migrate';
import { serviceSqlTarget } from '../../shared/sql/service-database';
import type { UserServiceEnv } from './user-config';
import { USER_MIGRATIONS } from './user-migrations';
import { sqlRefreshTokenStore } from './sql-refresh-token-store';
import { sqlUserRepository } from './sql-user-repository';

/** The user service's adapters, shared by its functions. */
export interface UserService {
  readonly sequelize: Sequelize;
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenStore;
  /**
   * Starts publishing committed outbox events (the fast path after a write) without holding up the answer: the
   * events are already safe in the outbox. A failure is logged, not thrown; the outbox relay (run by a PingSource)
   * publishes them later. Shutdown waits for publishing in progress before closing the database and the sink.
   */
  readonly publishSoon: () => void;
  /** Publishes committed outbox events; throws when Kafka does not take them (the relay function's job). */
  readonly relay: () => Promise<number>;
}

/**
 * Opens the user service on first use: its database (created and migrated when needed) and,
 * separately and only when something publishes, the event sink (the broker ingress K_SINK when set, else Kafka).
 * Both are closed at shutdown.
 */
export function userService(env: UserServiceEnv, logger: Logger): () => Promise<UserService> {
  const publishing = new Set<Promise<void>>();
  const sink = lazy(
    'event sink',
    async () =>
      env.K_SINK
        ? httpEventSink(env.K_SINK)
        : kafkaEventSink(
            await createKafka({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID }, logger),
            env.EVENTS_TOPIC,
          ),
    async (opened) => {
      await Promise.all(publishing);
      await opened.close();
    },
  );
  return lazy(
    'user database',
    async () => {
      const target = serviceSqlTarget(env, 'user');
      const sequelize = await createSequelize(target);
      // One read when the schema is up to date (every cold start but the first after a deploy).
      if (!(await migrationsApplied(sequelize, USER_MIGRATIONS))) {
        await ensureDatabase(target);
        await migrate(sequelize, USER_MIGRATIONS);
      }
      const users = sqlUserRepository(sequelize);
      const relay = async () => relayOutbox({ sequelize, sink: await sink() });
      return {
        sequelize,
        users,
        refreshTokens: sqlRefreshTokenStore(sequelize),
        relay,
        publishSoon() {
          const run = relay().then(
            () => undefined,
            (error: unknown) => {
              logger.warn('publishing events failed; the outbox relay will retry', { error });
            },
          );
          publishing.add(run);
          void run.finally(() => publishing.delete(run));
        },
      };
    },
    // Publishing in progress needs the database (and may still be opening the sink, which then closes after).
    async (service) => {
      await Promise.all(publishing);
      await service.sequelize.close();
    },
  );
}
