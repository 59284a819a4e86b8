// What every OncePerEvent promises, on the SQL adapter (shared/idempotency/sql-once-per-event.ts) on MariaDB and
// SQLite and on the memory fake the unit tests of event consumers run on (test/support/memory/memory-once-per-event.ts).
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import test from 'ava';
import type { OncePerEvent } from '../../shared/domain/once-per-event';
import { AppError } from '../../shared/errors/app-error';
import { processedEventsMigration } from '../../shared/idempotency/processed-events-migration';
import { sqlOncePerEvent } from '../../shared/idempotency/sql-once-per-event';
import { migrate } from '../../shared/sql/migrate';
import { gate } from '../support/gate';
import { memoryOncePerEvent } from '../support/memory/memory-once-per-event';
import { connectTo, DIALECTS, sqlFixture } from '../support/sql-fixture';

interface Backend {
  /** Idempotent consumption for `consumer`. */
  readonly once: (consumer: string) => OncePerEvent;
  /** Resolves once a second delivery of `eventId`, sent while the first's effect runs, is waiting on the first. */
  readonly secondWaiting: (eventId: string) => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * The memory fake and SQLite's in-process writer lock queue the second delivery without any I/O: one turn of the
 * event loop and it is waiting.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A first delivery of `eventId` whose effect waits until `held` opens, then fails with `failure` when one is given. */
function heldFirst(once: OncePerEvent, eventId: string, failure?: Error) {
  const held = gate();
  const first = once(eventId, async () => {
    held.enter();
    await held.opened;
    if (failure) throw failure;
  });
  return { held, first };
}

function oncePerEventContract(title: string, open: () => Promise<Backend>): void {
  let opened: Promise<Backend> | undefined;
  const backend = () => (opened ??= open());
  test.after.always(`${title}: close`, async () => {
    if (opened) await (await opened).close();
  });

  test(`${title}: a replayed event runs its effect once and is answered duplicate`, async (t) => {
    const once = (await backend()).once('loyalty');
    const eventId = randomUUID();
    let runs = 0;
    const effect = () => {
      runs += 1;
      return Promise.resolve();
    };
    t.is(await once(eventId, effect), 'processed');
    t.is(await once(eventId, effect), 'duplicate');
    t.is(await once(eventId, effect), 'duplicate');
    t.is(runs, 1);
    t.is(await once(randomUUID(), effect), 'processed', 'another event is its own');
    t.is(runs, 2);
  });

  test(`${title}: each consumer applies an event once of its own`, async (t) => {
    const { once } = await backend();
    const eventId = randomUUID();
    const runs: string[] = [];
    for (const consumer of ['loyalty', 'audit', 'loyalty', 'audit']) {
      await once(consumer)(eventId, () => {
        runs.push(consumer);
        return Promise.resolve();
      });
    }
    t.deepEqual(runs, ['loyalty', 'audit']);
  });

  test(`${title}: a duplicate sent while the effect runs waits for it, then is answered duplicate`, async (t) => {
    const { once, secondWaiting } = await backend();
    const eventId = randomUUID();
    const held = gate();
    const log: string[] = [];
    const first = once('loyalty')(eventId, async () => {
      log.push('first effect');
      held.enter();
      await held.opened;
      log.push('first effect done');
    });
    await held.inFlight;
    const second = once('loyalty')(eventId, () => {
      log.push('second effect');
      return Promise.resolve();
    }).then((handled) => {
      log.push(`second: ${handled}`);
      return handled;
    });
    await secondWaiting(eventId);
    t.deepEqual(log, ['first effect'], 'the second is waiting, not answered');
    held.release();
    t.deepEqual(await Promise.all([first, second]), ['processed', 'duplicate']);
    t.deepEqual(log, ['first effect', 'first effect done', 'second: duplicate']);
  });

  test(`${title}: a failed effect is not recorded: its error passes through, and the redelivery runs it`, async (t) => {
    const once = (await backend()).once('loyalty');
    const eventId = randomUUID();
    const failure = new Error('downstream unavailable');
    const error = await t.throwsAsync(once(eventId, () => Promise.reject(failure)));
    t.is(error, failure);
    let runs = 0;
    const effect = () => {
      runs += 1;
      return Promise.resolve();
    };
    t.is(await once(eventId, effect), 'processed');
    t.is(await once(eventId, effect), 'duplicate');
    t.is(runs, 1);
  });

  test(`${title}: a duplicate waiting on a first attempt that fails runs the effect itself`, async (t) => {
    const { once, secondWaiting } = await backend();
    const eventId = randomUUID();
    const { held, first } = heldFirst(once('loyalty'), eventId, new Error('downstream unavailable'));
    await held.inFlight;
    let secondRuns = 0;
    const second = once('loyalty')(eventId, () => {
      secondRuns += 1;
      return Promise.resolve();
    });
    await secondWaiting(eventId);
    t.is(secondRuns, 0, 'the second waits for the first');
    held.release();
    await t.throwsAsync(first, { message: 'downstream unavailable' });
    t.is(await second, 'processed');
    t.is(secondRuns, 1);
  });

  test(`${title}: a record without an effect is processed once, then duplicate, also for an effect`, async (t) => {
    const once = (await backend()).once('inbox');
    const eventId = randomUUID();
    t.is(await once(eventId), 'processed');
    t.is(await once(eventId), 'duplicate');
    let runs = 0;
    t.is(
      await once(eventId, () => {
        runs += 1;
        return Promise.resolve();
      }),
      'duplicate',
    );
    t.is(runs, 0, 'the recorded event is applied');
    t.is(await once(randomUUID()), 'processed', 'another event is its own');
  });

  test(`${title}: a record sent while an effect runs waits for it, then is answered duplicate`, async (t) => {
    const { once, secondWaiting } = await backend();
    const eventId = randomUUID();
    const { held, first } = heldFirst(once('inbox'), eventId);
    await held.inFlight;
    let answered = false;
    const second = once('inbox')(eventId).finally(() => {
      answered = true;
    });
    await secondWaiting(eventId);
    t.false(answered, 'the record waits for the effect');
    held.release();
    t.deepEqual(await Promise.all([first, second]), ['processed', 'duplicate']);
  });

  test(`${title}: a record waiting on an effect that fails records the event itself`, async (t) => {
    const { once, secondWaiting } = await backend();
    const eventId = randomUUID();
    const { held, first } = heldFirst(once('inbox'), eventId, new Error('downstream unavailable'));
    await held.inFlight;
    const second = once('inbox')(eventId);
    await secondWaiting(eventId);
    held.release();
    await t.throwsAsync(first, { message: 'downstream unavailable' });
    t.is(await second, 'processed');
    t.is(await once('inbox')(eventId), 'duplicate');
  });

  test(`${title}: an event id of 64 characters is taken; a longer one is EVENT.ID_TOO_LONG and runs nothing`, async (t) => {
    const once = (await backend()).once('loyalty');
    let runs = 0;
    const effect = () => {
      runs += 1;
      return Promise.resolve();
    };
    t.is(await once('e'.repeat(64), effect), 'processed');
    const error = await t.throwsAsync(once('e'.repeat(65), effect), { instanceOf: AppError });
    t.like(error, { kind: 'invalid', code: 'EVENT.ID_TOO_LONG' });
    t.is(runs, 1);
  });
}

oncePerEventContract('memory', () => {
  const consumers = new Map<string, OncePerEvent>();
  return Promise.resolve({
    once(consumer) {
      let once = consumers.get(consumer);
      if (!once) {
        once = memoryOncePerEvent().once;
        consumers.set(consumer, once);
      }
      return once;
    },
    secondWaiting: nextTurn,
    close: () => Promise.resolve(),
  });
});

for (const dialect of DIALECTS) {
  oncePerEventContract(dialect, async () => {
    const fixture = await sqlFixture(dialect, 'test_once_per_event');
    const { sequelize, target } = fixture;
    await migrate(sequelize, [processedEventsMigration]);
    let other: Promise<Connection> | undefined;
    const secondWaiting =
      target.dialect === 'mysql'
        ? async (eventId: string) => {
            // The second's INSERT waits on the key the first's open transaction holds.
            const watcher = await (other ??= connectTo(target.database));
            for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
              const [rows] = await watcher.query(
                'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE ?',
                [target.database, `INSERT INTO processed_events%${eventId}%`],
              );
              if ((rows as { n: number }[])[0]?.n === 1) return;
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            throw new Error(`no second delivery of ${eventId} waited on the first`);
          }
        : nextTurn;
    return {
      once: (consumer) => sqlOncePerEvent(() => Promise.resolve(sequelize), consumer),
      secondWaiting,
      async close() {
        await (await other)?.end();
        await fixture.drop();
      },
    };
  });
}
