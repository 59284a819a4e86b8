import type { Sequelize, Transaction } from 'sequelize';
import type { DomainEvent, EventSink, NewDomainEvent } from '../domain/domain-event';
import type { Logger } from '../domain/logger';
import { observeOutboxDepth } from '../metrics/outbox-metrics';
import { appendOutboxRows, type AppendedEvents } from '../outbox/append-to-outbox';
import { inAppendSpan } from '../outbox/outbox-tracing';
import { olderUnpublished, publishCommitted } from '../outbox/publish-committed';
import { roomForReplays } from '../outbox/replay-in-outbox';
import { whenCommitting } from '../sql/in-transaction';
import { relayOutbox, unpublishedCount } from '../outbox/relay-outbox';
import { refuseUndeclared, type DeclaredEvents } from './declared-events';

/** A service's outbox, as its repositories write to it. */
export interface Outbox {
  /**
   * Stores events in the caller's transaction, so they exist exactly when the change they describe was committed,
   * and publishes them as soon as that transaction commits: the caller does nothing more.
   */
  append(transaction: Transaction, events: readonly NewDomainEvent[]): Promise<DomainEvent[]>;
}

/** The outbox with its publishing, owned by the service kit. */
export interface OutboxPublisher extends Outbox {
  /** Publishes every committed, unpublished event; throws when the sink does not take them (the relay's job). */
  relay(): Promise<number>;
  /** Resolves once publishing in progress has ended: shutdown waits for it before closing the database and sink. */
  settle(): Promise<void>;
}

/**
 * The outbox of one service database. After a commit it publishes in the background, without holding up the
 * answer: the events are safe in the outbox, and a failure is only logged, since the service's outbox relay
 * (a PingSource) publishes whatever is left. A commit with nothing else publishing sends its own events straight
 * away (publishCommitted: no lock, no scan); commits that land while a publish runs are folded into one relay
 * run after it, so a burst of writes costs a few relay passes, not one publish each. `sink` is absent when the function did not declare
 * that it publishes: appending then fails at once, so the declaration cannot be forgotten; nor can it be incomplete,
 * since an event of a type the function did not declare (`declared`, its `uses.events`) is refused too.
 */
export function outboxPublisher(options: {
  readonly sequelize: Sequelize;
  readonly sink: (() => Promise<EventSink>) | undefined;
  readonly logger: Logger;
  readonly declared: DeclaredEvents;
}): OutboxPublisher {
  const { sequelize, sink, logger, declared } = options;
  const { functionName } = declared;
  let running: Promise<void> | undefined;
  /** Commits that asked for a publish: one more run follows when some arrive while a run is going. */
  let requested = 0;

  const openSink = () => {
    if (!sink) throw new Error(`${functionName} publishes events but does not declare uses.events`);
    return sink();
  };
  const relay = async () => relayOutbox({ sequelize, sink: await openSink() });
  const publishRuns = async (committed: AppendedEvents, older: Promise<AppendedEvents> | undefined) => {
    try {
      let served = requested;
      if (!(await publishCommitted(sequelize, await openSink(), committed, older))) await relay();
      while (requested !== served) {
        served = requested;
        await relay();
      }
    } catch (error) {
      logger.warn('publishing events failed; the outbox relay will retry', { error });
    } finally {
      running = undefined;
    }
  };
  const publishSoon = (committed: AppendedEvents, older: Promise<AppendedEvents> | undefined) => {
    requested++;
    running ??= publishRuns(committed, older);
  };
  // SQLite has one writer, and a reader beside a commit that is being written may be refused (SQLITE_BUSY).
  const readsBesideCommits = sequelize.getDialect() !== 'sqlite';

  return {
    async append(transaction, given) {
      if (given.length === 0) return [];
      if (!sink) throw new Error(`${functionName} appends events but does not declare uses.events`);
      refuseUndeclared(declared, given);
      const events = declared.replays ? await roomForReplays(sequelize, transaction, given) : given;
      if (events.length === 0) return [];
      // Each event carries the trace context of this append (unless it has its own), so its consumers' spans
      // are children of the append's, across Kafka.
      return inAppendSpan(events, async (stamped) => {
        const appended = await appendOutboxRows(sequelize, transaction, stamped);
        // The read of older events its publish sends first goes out on another connection as the COMMIT does, not
        // after it: one round trip less before the events are on their way. Not while a run is going: this commit's
        // events will be folded into the relay run after it.
        let older: Promise<AppendedEvents> | undefined;
        if (readsBesideCommits) {
          whenCommitting(transaction, () => {
            if (running) return;
            older = olderUnpublished(sequelize, appended);
            // Awaited by the publish, which reports a failure; unawaited when the commit fails.
            void older.catch(() => undefined);
          });
        }
        transaction.afterCommit(() => {
          publishSoon(appended, older);
        });
        return appended.events;
      });
    },
    relay() {
      // The relay function's run (a writer's own publishing calls `relay` above): from now on this process reports
      // the outbox's depth at each metrics collection, when metrics are on (shared/metrics/outbox-metrics.ts).
      observeOutboxDepth(sequelize, () => unpublishedCount(sequelize));
      return relay();
    },
    async settle() {
      while (running) await running;
    },
  };
}
