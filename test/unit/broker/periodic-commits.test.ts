import test from 'ava';
import type { Consumer } from 'kafkajs';
import { periodicCommits } from '../../../dev/broker/periodic-commits';
import { createLogger } from '../../../shared/log/logger';

const logger = createLogger('periodic-commits-test', { level: 'silent' });
type Commit = Parameters<Consumer['commitOffsets']>[0];

/** Stands in for kafkajs' commitOffsets: records each commit; `answer` decides how each one ends. */
function fakeConsumer(answer: (commit: Commit, n: number) => Promise<void> = () => Promise.resolve()) {
  const commits: Commit[] = [];
  const consumer = {
    commitOffsets: (commit: Commit) => {
      commits.push(commit);
      return answer(commit, commits.length);
    },
  };
  return { consumer, commits };
}

const HOUR = 3_600_000;

test('a flush commits the last position reached on each partition, once', async (t) => {
  const { consumer, commits } = fakeConsumer();
  const positions = periodicCommits({ consumer, topic: 'events', intervalMs: HOUR, logger });
  positions.reached(0, '5');
  positions.reached(1, '3');
  positions.reached(0, '6');
  await positions.flush();
  await positions.flush();
  await positions.stop();
  t.deepEqual(commits, [
    [
      { topic: 'events', partition: 0, offset: '6' },
      { topic: 'events', partition: 1, offset: '3' },
    ],
  ]);
});

test('positions are committed on the timer, not per event', async (t) => {
  const { consumer, commits } = fakeConsumer();
  const positions = periodicCommits({ consumer, topic: 'events', intervalMs: 20, logger });
  for (let offset = 1; offset <= 50; offset++) positions.reached(0, String(offset));
  t.deepEqual(commits, [], 'nothing before the timer');
  while (commits.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await positions.stop();
  t.deepEqual(commits, [[{ topic: 'events', partition: 0, offset: '50' }]]);
});

test('a failed commit is kept for the next one, unless a newer position replaced it', async (t) => {
  const { consumer, commits } = fakeConsumer((_, n) =>
    n === 1 ? Promise.reject(new Error('The coordinator is not available')) : Promise.resolve(),
  );
  const positions = periodicCommits({ consumer, topic: 'events', intervalMs: HOUR, logger });
  positions.reached(0, '4');
  positions.reached(1, '7');
  const failing = positions.flush();
  positions.reached(0, '9');
  await failing;
  await positions.flush();
  await positions.stop();
  t.deepEqual(commits[1], [
    { topic: 'events', partition: 0, offset: '9' },
    { topic: 'events', partition: 1, offset: '7' },
  ]);
  t.is(commits.length, 2);
});

test('commits go out one at a time: an older position never lands after a newer one', async (t) => {
  const landed: string[] = [];
  const { consumer, commits } = fakeConsumer(async (commit, n) => {
    // The first commit is slow: the second must wait for it.
    await new Promise((resolve) => setTimeout(resolve, n === 1 ? 40 : 1));
    landed.push(String(commit[0]?.offset));
  });
  const positions = periodicCommits({ consumer, topic: 'events', intervalMs: HOUR, logger });
  positions.reached(0, '1');
  const first = positions.flush();
  while (commits.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  positions.reached(0, '2');
  await Promise.all([first, positions.flush()]);
  await positions.stop();
  t.deepEqual(landed, ['1', '2']);
});

test('stop commits what is left and ends the timer', async (t) => {
  const { consumer, commits } = fakeConsumer();
  const positions = periodicCommits({ consumer, topic: 'events', intervalMs: 10, logger });
  positions.reached(2, '11');
  await positions.stop();
  t.deepEqual(commits, [[{ topic: 'events', partition: 2, offset: '11' }]]);
  positions.reached(2, '12');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(commits.length, 1, 'no commit after stop');
});
