import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../shared/log/logger';
import type { BrokerLog, EventHandler } from './broker-log';
import { fromDeadLetterEvent } from './dead-letter';
import { openEmbeddedStore, type Stream } from './embedded-store';

const BATCH = 100;
const RETRY_AFTER_ERROR_MS = 1000;

/**
 * The embedded default's broker log: an in-process, append-only log persisted in an SQLite file under `dir`
 * (events, per-group positions, dead letters), so a restart of the local stack resumes every Trigger (and every
 * reader of the dead letters) at its committed position: nothing acknowledged is delivered again, nothing pending
 * is lost. Each stream is one partition: each group sees every event in append order, one delivery at a time.
 */
export async function openMemoryBrokerLog(dir: string, logger: Logger): Promise<BrokerLog> {
  const store = await openEmbeddedStore(dir);
  const closing = new AbortController();
  // Every delivery in flight listens to it (one per Trigger and partition): more than Node's warning threshold of 10.
  setMaxListeners(0, closing.signal);
  const loops: Promise<void>[] = [];
  // Appends bump the version and wake the subscriptions that found nothing new; comparing versions closes the
  // gap between an empty read and going to sleep.
  let version = 0;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of sleepers) wake();
    sleepers.clear();
  };
  closing.signal.addEventListener('abort', wakeAll);

  // Functions, not the variables: TypeScript would narrow them as if no append or close could happen meanwhile.
  const appendedSince = (seen: number) => version !== seen;
  const isClosing = () => closing.signal.aborted;

  const follow = async (stream: Stream, group: string, handler: EventHandler, from: number) => {
    const { signal } = closing;
    let position = from;
    while (!isClosing()) {
      const seen = version;
      try {
        const batch = await store.read(stream, position, BATCH);
        if (batch.length === 0 && !appendedSince(seen) && !isClosing()) {
          await new Promise<void>((resolve) => sleepers.add(resolve));
        }
        for (const stored of batch) {
          await handler(stored.event, signal);
          await store.commit(group, stored.position);
          position = stored.position;
        }
      } catch (error) {
        if (isClosing()) return;
        logger.error('embedded broker log: delivery loop failed, retrying', { group, error });
        await sleep(RETRY_AFTER_ERROR_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  };

  return {
    async append(events) {
      await store.append(events);
      version++;
      wakeAll();
    },
    async subscribe(group, handler) {
      const from = await store.position('events', group);
      loops.push(follow('events', group, handler, from));
    },
    async subscribeDeadLetters(group, handler) {
      const from = await store.position('dead-letters', group);
      loops.push(follow('dead-letters', group, handler, from));
    },
    async keepDeadLetter(event) {
      await store.keepDeadLetter(event);
      version++;
      wakeAll();
    },
    async deadLetters() {
      return (await store.deadLetters()).map(({ event, at }) => fromDeadLetterEvent(event, at));
    },
    async close() {
      closing.abort(new Error('The dev broker is closing'));
      await Promise.all(loops);
      await store.close();
    },
  };
}
