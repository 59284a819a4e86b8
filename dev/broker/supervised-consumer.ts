import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { Logger } from '../../shared/log/logger';

// kafkajs' default for consumers, which a consumer's own `retry` replaces.
const KAFKAJS_CONSUMER_RETRIES = 5;
const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 5000;

/** One kafkajs consumer of a supervised group, from its start to its crash or the group's stop. */
export interface Generation {
  /** 0 for the first consumer of the group, then 1, 2… for those started after a crash. */
  readonly number: number;
  /** Aborts when this generation ends (its consumer crashed, or the group stops): its handlers give up. */
  readonly signal: AbortSignal;
  /** Handling that belongs to this generation (a batch): the next generation starts only once it settled. */
  track(work: Promise<unknown>): void;
  /** Ends the generation: its consumer stopped for good (call it from the consumer's CRASH listener). */
  crashed(error: unknown): void;
  /** Work to do once the generation's handling settled, before its consumer disconnects (its last commit). */
  beforeDisconnect(work: () => Promise<void>): void;
}

/** A consumer group kept running across consumer crashes. */
export interface SupervisedConsumer {
  /** Ends the current generation (its handlers are aborted and awaited) and disconnects it. */
  stop(): Promise<void>;
}

/**
 * Keeps one consumer group consuming for as long as the caller wants it, whatever becomes of its kafkajs consumer.
 *
 * kafkajs restarts a crashed consumer only when the error is retriable, and some errors of a broker restart are
 * not: a member told "not the correct coordinator" by a broker shutting down rejoins, its FindCoordinator fails on
 * the closing connection, and kafkajs ends with `KafkaJSGroupCoordinatorNotFound` (non-retriable) and no restart
 * (kafkajs issues 1445, 1630). That consumer never reads again: every later event of its Trigger waits forever.
 * So `start` builds its consumers with generationConsumer, which kafkajs never restarts itself, and every crash
 * ends a generation here: its handlers are aborted (their events are not committed) and awaited, so the next
 * consumer, which resumes from the committed offsets, never delivers an event while an older one of its partition
 * is still in flight; then a new consumer starts, after a delay that grows while starts keep failing (Kafka down).
 *
 * The first generation's start is the caller's: its failure is thrown. Later ones are retried until `signal`
 * aborts or `stop` is called.
 */
export async function superviseConsumer(options: {
  readonly groupId: string;
  /** Creates, connects and runs a consumer for `generation`; on failure, disconnects what it created. */
  readonly start: (generation: Generation) => Promise<Consumer>;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}): Promise<SupervisedConsumer> {
  const { groupId, start, logger } = options;
  const stopping = new AbortController();
  const onAbort = () => {
    stopping.abort(options.signal.reason);
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  let current: Running;
  try {
    current = await launch(0, start, stopping.signal);
  } catch (error) {
    options.signal.removeEventListener('abort', onAbort);
    throw error;
  }
  const supervising = (async () => {
    for (let number = 1; ; number++) {
      const error = await current.ended;
      await current.retire();
      if (stopping.signal.aborted) return;
      logger.warn('kafka consumer crashed, starting a new one', { groupId, error });
      const next = await relaunch(number);
      if (!next) return;
      current = next;
    }
  })();

  /** A new generation, once one starts; undefined when the group stops first. */
  async function relaunch(number: number): Promise<Running | undefined> {
    for (let delay = FIRST_RESTART_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS)) {
      try {
        await sleep(delay, undefined, { signal: stopping.signal });
      } catch {
        return undefined;
      }
      try {
        return await launch(number, start, stopping.signal);
      } catch (error) {
        logger.warn('kafka consumer did not start, trying again', { groupId, error, delayMs: delay });
      }
    }
  }

  return {
    async stop() {
      stopping.abort(new Error('The consumer group is stopping'));
      options.signal.removeEventListener('abort', onAbort);
      await supervising;
    },
  };
}

/** A generation's consumer as the supervisor holds it. */
interface Running {
  /** Resolves when the generation ends: with the crash's error, or undefined when the group stops. */
  readonly ended: Promise<unknown>;
  /** Aborts the generation's handlers, waits for them, and disconnects its consumer. */
  retire(): Promise<void>;
}

async function launch(
  number: number,
  start: (generation: Generation) => Promise<Consumer>,
  stopping: AbortSignal,
): Promise<Running> {
  const ending = new AbortController();
  // Every delivery in flight listens to it (one per partition, times the broker's copies): often more than 10.
  setMaxListeners(0, ending.signal);
  const inFlight = new Set<Promise<unknown>>();
  const lastWork: (() => Promise<void>)[] = [];
  let end: (error: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => {
    end = resolve;
  });
  const stop = () => {
    end(undefined);
  };
  stopping.addEventListener('abort', stop, { once: true });
  // A listener added to an aborted signal is never called: a group stopping while this started ends it now.
  if (stopping.aborted) stop();
  const retire = async () => {
    stopping.removeEventListener('abort', stop);
    ending.abort(new Error('This consumer generation ended'));
    await Promise.allSettled([...inFlight]);
  };
  const generation: Generation = {
    number,
    signal: ending.signal,
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
    },
    crashed: (error) => {
      end(error);
    },
    beforeDisconnect(work) {
      lastWork.push(work);
    },
  };
  let consumer: Consumer;
  try {
    consumer = await start(generation);
  } catch (error) {
    await retire();
    throw error;
  }
  return {
    ended,
    async retire() {
      await retire();
      for (const work of lastWork) await work().catch(() => undefined);
      // kafkajs has disconnected a crashed consumer already; a stopping group's is still connected.
      await consumer.disconnect().catch(() => undefined);
    },
  };
}

/**
 * A kafkajs consumer for `generation`: kafkajs never restarts it in place (`restartOnFailure`, asked on retriable
 * crashes), and any crash ends the generation, so the supervisor starts a new consumer after every crash alike.
 */
export function generationConsumer(
  kafka: Pick<Kafka, 'consumer'>,
  config: ConsumerConfig,
  generation: Generation,
): Consumer {
  const retry = { retries: KAFKAJS_CONSUMER_RETRIES, ...config.retry, restartOnFailure: neverRestart };
  const consumer = kafka.consumer({ ...config, retry });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) generation.crashed(payload.error);
  });
  return consumer;
}

const neverRestart = (): Promise<boolean> => Promise.resolve(false);
