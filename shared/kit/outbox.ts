import type { Sequelize, Transaction } from 'sequelize';
import type { DomainEvent, EventSink, NewDomainEvent } from '../domain/domain-event';
import type { Logger } from '../domain/logger';
import { appendToOutbox } from '../outbox/append-to-outbox';
import { relayOutbox } from '../outbox/relay-outbox';

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
 * (a PingSource) publishes whatever is left. Commits that land while a publish runs are folded into one more run,
 * so a burst of writes costs a few relay passes, not one each. `sink` is absent when the function did not declare
 * that it publishes: appending then fails at once, so the declaration cannot be forgotten.
 */
export function outboxPublisher(options: {
  readonly sequelize: Sequelize;
  readonly sink: (() => Promise<EventSink>) | undefined;
  readonly logger: Logger;
  readonly functionName: string;
}): OutboxPublisher {
  const { sequelize, sink, logger } = options;
  let running: Promise<void> | undefined;
  /** Commits that asked for a publish: one more run follows when some arrive while a run is going. */
  let requested = 0;

  const relay = async () => {
    if (!sink) throw new Error(`${options.functionName} publishes events but does not declare uses.events`);
    return relayOutbox({ sequelize, sink: await sink() });
  };
  const publishRuns = async () => {
    try {
      let served: number;
      do {
        served = requested;
        await relay();
      } while (requested !== served);
    } catch (error) {
      logger.warn('publishing events failed; the outbox relay will retry', { error });
    } finally {
      running = undefined;
    }
  };
  const publishSoon = () => {
    requested++;
    running ??= publishRuns();
  };

  return {
    async append(transaction, events) {
      if (events.length === 0) return [];
      if (!sink) throw new Error(`${options.functionName} appends events but does not declare uses.events`);
      const stored = await appendToOutbox(sequelize, transaction, events);
      transaction.afterCommit(publishSoon);
      return stored;
    },
    relay,
    async settle() {
      while (running) await running;
    },
  };
}
