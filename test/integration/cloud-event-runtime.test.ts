import test from 'ava';
import { HTTP } from 'cloudevents';
import { UserRegistered, type UserRegisteredData } from '../../events/user-registered';
import { AppError } from '../../shared/errors/app-error';
import { createLogger } from '../../shared/log/logger';
import { cloudEventHandler, subscribe, type ReceivedEvent } from '../../shared/runtime/cloud-event-function';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';
import { userRegisteredEvent } from '../fixtures/user-registered-event';

const received: ReceivedEvent<UserRegisteredData>[] = [];
let failWith: Error | undefined;

let fn: FunctionUnderTest;
test.before(async () => {
  const handler = cloudEventHandler({
    logger: createLogger('t', { level: 'silent' }),
    subscriptions: [
      subscribe({
        event: UserRegistered,
        handle: (event) => {
          if (failWith) return Promise.reject(failWith);
          const duplicate = received.some((seen) => seen.id === event.id);
          if (!duplicate) received.push(event);
          return Promise.resolve(duplicate ? 'duplicate' : 'processed');
        },
      }),
    ],
  });
  fn = await serveFunction(handler);
});
test.after.always(() => fn.close());

function registered(data: Record<string, unknown> = {}, type = UserRegistered.type) {
  return userRegisteredEvent({ attributes: { type }, data });
}

function deliver(message: { headers: Record<string, unknown>; body: unknown }) {
  return fetch(fn.url, {
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
  });
}

test.serial(
  'binary and structured events are validated and handled; a duplicate is acknowledged',
  async (t) => {
    failWith = undefined;
    const event = registered();
    t.is((await deliver(HTTP.binary(event))).status, 204);
    const structured = registered();
    t.is((await deliver(HTTP.structured(structured))).status, 204);
    t.deepEqual(
      received.filter((e) => e.id === structured.id).map((e) => e.data),
      [structured.data],
      'the structured event reached the handler, with its data',
    );
    t.is((await deliver(HTTP.binary(event))).status, 204, 'a redelivery is acknowledged');
    t.is(received.filter((e) => e.id === event.id).length, 1);
    t.is(received.find((e) => e.id === event.id)?.data.email, 'ada@example.com');
  },
);

test.serial('an invalid event is a 400 (dead-lettered, not retried) and is not handled', async (t) => {
  failWith = undefined;
  const before = received.length;
  const badData = await deliver(HTTP.binary(registered({ email: 'not-an-email' })));
  t.is(badData.status, 400);
  t.like(await badData.json(), { code: 'EVENT.INVALID_DATA' });
  const otherType = await deliver(HTTP.binary(registered({}, 'com.ecom.order.placed')));
  t.like(await otherType.json(), { code: 'EVENT.UNSUPPORTED_TYPE' });
  const notAnEvent = await fetch(fn.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"hello":"world"}',
  });
  t.is(notAnEvent.status, 400);
  t.like(await notAnEvent.json(), { code: 'EVENT.INVALID' });
  t.is(received.length, before);
});

test.serial('a transient failure is a 5xx so the broker retries', async (t) => {
  failWith = new AppError('unavailable', 'MAIL.UNAVAILABLE', 'SMTP is down');
  t.is((await deliver(HTTP.binary(registered()))).status, 503);
  failWith = new Error('socket hang up');
  const crashed = await deliver(HTTP.binary(registered()));
  t.is(crashed.status, 500);
  t.false((await crashed.text()).includes('socket hang up'));
  failWith = undefined;
});
