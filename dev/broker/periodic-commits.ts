import type { Consumer } from 'kafkajs';
import type { Logger } from '../../shared/log/logger';

/** The positions a consumer reached on one topic, committed now and then rather than after every event. */
export interface PeriodicCommits {
  /** The partition's next offset to read: every event before it was handled. */
  reached(partition: number, nextOffset: string): void;
  /** Commits the positions reached since the last commit, after any commit still in flight. */
  flush(): Promise<void>;
  /** Stops the timer and commits what is left (a failure is logged: those events will come again). */
  stop(): Promise<void>;
}

/**
 * Commits a consumer's positions every `intervalMs`, as Knative's Kafka broker dispatcher does (its OffsetManager
 * commits on a timer, `auto.commit.interval.ms`, and when it closes), instead of kafkajs' commit after each batch:
 * with one consumer group per Trigger, a commit per event and group was two thirds of Kafka's CPU under the saga's
 * load (bench/README.md). A crash in between redelivers the events handled since the last commit, which
 * the subscribers deduplicate; nothing is skipped, since a position is only reached once its event was handled.
 * Commits go out one at a time, so an older position never lands after a newer one; a failed one is kept for the
 * next commit unless a newer position replaced it.
 */
export function periodicCommits(options: {
  readonly consumer: Pick<Consumer, 'commitOffsets'>;
  readonly topic: string;
  readonly intervalMs: number;
  readonly logger: Logger;
}): PeriodicCommits {
  const { consumer, topic, logger } = options;
  const pending = new Map<number, string>();
  let committing: Promise<void> = Promise.resolve();

  const commitPending = async () => {
    if (pending.size === 0) return;
    const positions = [...pending];
    pending.clear();
    try {
      await consumer.commitOffsets(positions.map(([partition, offset]) => ({ topic, partition, offset })));
    } catch (error) {
      for (const [partition, offset] of positions) {
        if (!pending.has(partition)) pending.set(partition, offset);
      }
      logger.debug('committing offsets failed; kept for the next commit', { topic, error });
    }
  };
  const flush = () => {
    committing = committing.then(commitPending);
    return committing;
  };
  const timer = setInterval(() => void flush(), options.intervalMs);
  timer.unref();

  return {
    reached(partition, nextOffset) {
      pending.set(partition, nextOffset);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
      if (pending.size > 0) {
        logger.info('offsets left uncommitted at stop: their events will be delivered again', {
          topic,
          partitions: [...pending.keys()],
        });
      }
    },
  };
}
