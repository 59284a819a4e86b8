import test from 'ava';
import type { Consumer } from 'kafkajs';
import { superviseConsumer, type Generation } from '../../../dev/broker/supervised-consumer';
import { createLogger } from '../../../shared/log/logger';

const logger = createLogger('supervised-consumer-test', { level: 'silent' });

/** Stands in for kafkajs: records the generations started and the consumers disconnected. */
function fakeKafka(options: { failingStarts?: number } = {}) {
  const generations: Generation[] = [];
  const timeline: string[] = [];
  let failures = options.failingStarts ?? 0;
  const start = (generation: Generation): Promise<Consumer> => {
    if (generation.number > 0 && failures > 0) {
      failures--;
      timeline.push(`start ${String(generation.number)} failed`);
      return Promise.reject(new Error('Connection error: connect ECONNREFUSED'));
    }
    generations.push(generation);
    timeline.push(`start ${String(generation.number)}`);
    const consumer = {
      disconnect: () => {
        timeline.push(`disconnect ${String(generation.number)}`);
        return Promise.resolve();
      },
    };
    return Promise.resolve(consumer as unknown as Consumer);
  };
  const started = async (count: number) => {
    while (generations.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
    return generations[count - 1] as Generation;
  };
  return { start, generations, timeline, started };
}

test('a crash ends the generation: its work is aborted and awaited, then a new consumer starts', async (t) => {
  const kafka = fakeKafka();
  const closing = new AbortController();
  const group = await superviseConsumer({ groupId: 'g', start: kafka.start, signal: closing.signal, logger });
  const first = await kafka.started(1);

  // A delivery in flight when kafkajs gives the consumer up: it ends only once it sees the abort.
  let finish: () => void = () => undefined;
  first.track(
    new Promise<void>((resolve) => {
      finish = resolve;
    }),
  );
  first.signal.addEventListener('abort', () => {
    kafka.timeline.push('delivery aborted');
    setTimeout(() => {
      kafka.timeline.push('delivery ended');
      finish();
    }, 50);
  });
  first.crashed(new Error('Failed to find group coordinator'));

  const second = await kafka.started(2);
  t.is(second.number, 1);
  t.false(second.signal.aborted);
  t.deepEqual(kafka.timeline, ['start 0', 'delivery aborted', 'delivery ended', 'disconnect 0', 'start 1']);

  closing.abort();
  await group.stop();
  t.true(second.signal.aborted);
  t.deepEqual(kafka.timeline.slice(-1), ['disconnect 1']);
});

test('a consumer that cannot start (Kafka still down) is tried again until one starts', async (t) => {
  const kafka = fakeKafka({ failingStarts: 2 });
  const group = await superviseConsumer({
    groupId: 'g',
    start: kafka.start,
    signal: new AbortController().signal,
    logger,
  });
  (await kafka.started(1)).crashed(new Error('crash'));
  await kafka.started(2);
  t.deepEqual(kafka.timeline, ['start 0', 'disconnect 0', 'start 1 failed', 'start 1 failed', 'start 1']);
  await group.stop();
  t.deepEqual(kafka.timeline.slice(-1), ['disconnect 1']);
});

test('stopping while a restart waits starts nothing more', async (t) => {
  const kafka = fakeKafka();
  const closing = new AbortController();
  const group = await superviseConsumer({ groupId: 'g', start: kafka.start, signal: closing.signal, logger });
  (await kafka.started(1)).crashed(new Error('crash'));
  closing.abort();
  await group.stop();
  await new Promise((resolve) => setTimeout(resolve, 400));
  t.deepEqual(kafka.timeline, ['start 0', 'disconnect 0']);
});

test("the first consumer's failure to start is the caller's", async (t) => {
  await t.throwsAsync(
    superviseConsumer({
      groupId: 'g',
      start: () => Promise.reject(new Error('No broker available')),
      signal: new AbortController().signal,
      logger,
    }),
    { message: 'No broker available' },
  );
});

test("a generation's last work (its final commit) runs once its handling settled, before its consumer disconnects", async (t) => {
  const kafka = fakeKafka();
  const group = await superviseConsumer({
    groupId: 'g',
    start: kafka.start,
    signal: new AbortController().signal,
    logger,
  });
  const first = await kafka.started(1);
  first.track(
    new Promise<void>((resolve) => {
      first.signal.addEventListener('abort', () => {
        setTimeout(() => {
          kafka.timeline.push('delivery ended');
          resolve();
        }, 30);
      });
    }),
  );
  first.beforeDisconnect(() => {
    kafka.timeline.push('last commit');
    return Promise.resolve();
  });
  first.beforeDisconnect(() => Promise.reject(new Error('Kafka is down')));

  await group.stop();
  t.deepEqual(kafka.timeline, ['start 0', 'delivery ended', 'last commit', 'disconnect 0']);
});
