// kafkajs 2.2.4 re-arms its pending-request check with a negative delay when nothing is pending: a 1 ms timer loop
// per open connection (kafkajs issues 1556 and 1704, unfixed upstream), which kept every function with a producer
// and the dev broker's consumers busy while idle. patches/kafkajs+2.2.4.patch (applied by patch-package at install)
// stops it; this proves the installed kafkajs carries it, and that a throttled queue is still checked.
import test from 'ava';

interface RequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

// Not part of kafkajs' API: the class the patch changes, loaded from where kafkajs keeps it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const queue = () =>
  new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: silent,
  });

test('an idle connection arms no timer: nothing pending and no throttle', (t) => {
  const idle = queue();
  idle.checkPendingRequests();
  t.is(idle.throttleCheckTimeoutId, null);
});

test('a throttled connection is still checked when its throttle ends', (t) => {
  const throttled = queue();
  throttled.throttledUntil = Date.now() + 60_000;
  throttled.scheduleCheckPendingRequests();
  t.not(throttled.throttleCheckTimeoutId, null);
  if (throttled.throttleCheckTimeoutId) clearTimeout(throttled.throttleCheckTimeoutId);
});
