// The runtimes' metrics, on a meter provider registered here and read in memory (as start-metrics.ts registers one
// from OTEL_* settings): an HTTP request is one point of http.server.request.duration by route template and status,
// a CloudEvent one of messaging.process.duration and ecom.events.consumed by type and what the broker does next,
// and an outbox relay reports its outbox's depth. One process (this file) registers metrics; its tests run serially.
import { randomUUID } from 'node:crypto';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { z } from 'zod';
import { UserRegistered } from '../../events/user-registered';
import { serviceUnavailable } from '../../shared/errors/unavailable';
import { createLogger } from '../../shared/log/logger';
import { cloudEventHandler, subscribe } from '../../shared/runtime/cloud-event-function';
import { httpRoute } from '../../shared/runtime/function-definition';
import { defineRoute, httpHandler } from '../../shared/runtime/http-function';
import { BOOM_ID, servedUserTestService, USER_SERVICE } from '../fixtures/grpc/user-test-service';
import { postCloudEvent } from '../support/post-cloud-event';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';
import { startFunctions } from '../support/functions';
import { globalTestMetrics } from '../support/global-test-metrics';
import { commitEvents } from '../support/outbox-fixture';
import { dropDatabase } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';
import { userRegisteredEvent } from '../fixtures/user-registered-event';

const telemetry = globalTestMetrics();
test.beforeEach(() => telemetry.on());
test.after.always(() => telemetry.off());

const logger = createLogger('metrics-runtime-test', { level: 'silent' });
/** What the subscription does with the next delivery. */
let answer: 'processed' | 'duplicate' | 'unavailable' = 'processed';

let http: FunctionUnderTest;
let events: FunctionUnderTest;
test.before(async () => {
  http = await serveFunction(
    httpHandler({
      logger,
      routes: [
        defineRoute({
          route: httpRoute({
            method: 'GET',
            path: '/v1/things/{id}',
            auth: 'public',
            summary: 'A thing.',
            params: z.object({ id: z.string() }),
            responses: { 200: { description: 'The thing.' } },
          }),
          handle: async ({ params }) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            return { status: 200, body: { id: params.id } };
          },
        }),
        defineRoute({
          route: { method: 'GET', path: '/v1/broken', auth: 'public', summary: 'Fails.', responses: {} },
          handle: () => Promise.reject(new Error('boom')),
        }),
      ],
    }),
  );
  events = await serveFunction(
    cloudEventHandler({
      logger,
      subscriptions: [
        subscribe({
          event: UserRegistered,
          handle: () =>
            answer === 'unavailable'
              ? Promise.reject(serviceUnavailable(new Error('database down')))
              : Promise.resolve(answer),
        }),
      ],
    }),
  );
});
test.after.always(async () => {
  await http.close();
  await events.close();
});

const histogramPoints = async (metric: string) =>
  (await telemetry.points(metric)).map(({ attributes, value }) => ({
    attributes,
    count: (value as Histogram).count,
    sum: (value as Histogram).sum,
  }));

test.serial('a request is one duration point, by method, route template and status', async (t) => {
  t.is((await fetch(`${http.url}/v1/things/t-1?q=private`)).status, 200);
  const [point, ...others] = await histogramPoints('http.server.request.duration');
  t.deepEqual(others, []);
  t.deepEqual(point?.attributes, {
    'http.request.method': 'GET',
    'http.route': '/v1/things/{id}',
    'http.response.status_code': 200,
  });
  t.is(point?.count, 1);
  t.true((point?.sum ?? 0) >= 0.02 && (point?.sum ?? 1) < 5, `${String(point?.sum)} s, in seconds`);
  const metric = (await telemetry.collect()).get('http.server.request.duration');
  t.is(metric?.descriptor.unit, 's');
});

test.serial(
  'requests of one route and status share a series; a 5xx has its error.type; no route, no http.route',
  async (t) => {
    t.is((await fetch(`${http.url}/v1/things/a`)).status, 200);
    t.is((await fetch(`${http.url}/v1/things/b`)).status, 200);
    t.is((await fetch(`${http.url}/v1/broken`)).status, 500);
    t.is((await fetch(`${http.url}/v1/nowhere/secret-path`)).status, 404);
    const points = await histogramPoints('http.server.request.duration');
    t.deepEqual(
      points.map(({ attributes, count }) => ({ attributes, count })),
      [
        {
          attributes: {
            'http.request.method': 'GET',
            'http.route': '/v1/things/{id}',
            'http.response.status_code': 200,
          },
          count: 2,
        },
        {
          attributes: {
            'http.request.method': 'GET',
            'http.route': '/v1/broken',
            'http.response.status_code': 500,
            'error.type': '500',
          },
          count: 1,
        },
        { attributes: { 'http.request.method': 'GET', 'http.response.status_code': 404 }, count: 1 },
      ],
    );
    t.false(JSON.stringify(points).includes('secret-path'), 'never the raw path');
  },
);

const registered = () => userRegisteredEvent();

const deliver = (event: CloudEvent<unknown>) => postCloudEvent(events.url, event);

test.serial(
  'an event answered 204 is an ack (a duplicate marked), 503 a retry, 400 a dead letter',
  async (t) => {
    answer = 'processed';
    t.is((await deliver(registered())).status, 204);
    answer = 'duplicate';
    t.is((await deliver(registered())).status, 204);
    answer = 'unavailable';
    t.is((await deliver(registered())).status, 503);
    answer = 'processed';
    const invalid = registered().cloneWith({ data: { userId: 'not a uuid' } });
    t.is((await deliver(invalid)).status, 400);
    const strange = registered().cloneWith({ type: `com.example.${randomUUID()}` });
    t.is((await deliver(strange)).status, 400);

    const type = 'com.ecom.user.registered';
    const base = { 'messaging.system': 'kafka', 'messaging.operation.name': 'process' };
    const consumed = (await telemetry.points('ecom.events.consumed')).map(({ attributes, value }) => ({
      attributes,
      value,
    }));
    t.deepEqual(consumed, [
      { attributes: { ...base, 'cloudevents.event_type': type, 'ecom.delivery.outcome': 'ack' }, value: 1 },
      {
        attributes: {
          ...base,
          'cloudevents.event_type': type,
          'ecom.delivery.outcome': 'ack',
          'ecom.delivery.duplicate': true,
        },
        value: 1,
      },
      {
        attributes: {
          ...base,
          'cloudevents.event_type': type,
          'ecom.delivery.outcome': 'retry',
          'error.type': '503',
        },
        value: 1,
      },
      {
        attributes: {
          ...base,
          'cloudevents.event_type': type,
          'ecom.delivery.outcome': 'dead_letter',
          'error.type': '400',
        },
        value: 1,
      },
      {
        attributes: {
          ...base,
          'cloudevents.event_type': '_OTHER',
          'ecom.delivery.outcome': 'dead_letter',
          'error.type': '400',
        },
        value: 1,
      },
    ]);
    const durations = await histogramPoints('messaging.process.duration');
    t.deepEqual(
      durations.map(({ attributes, count }) => ({ attributes, count })),
      consumed.map(({ attributes, value }) => ({ attributes, count: value })),
      'one duration per delivery, with the same attributes',
    );
  },
);

test.serial('a request that is no CloudEvent is a dead letter without a type', async (t) => {
  const answered = await fetch(events.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  t.is(answered.status, 400);
  t.deepEqual(
    (await telemetry.points('ecom.events.consumed')).map(({ attributes }) => attributes),
    [
      {
        'messaging.system': 'kafka',
        'messaging.operation.name': 'process',
        'ecom.delivery.outcome': 'dead_letter',
        'error.type': '400',
      },
    ],
  );
});

test.serial(
  "an outbox relay reports its outbox's depth at each collection, only once it has run",
  async (t) => {
    const database = uniqueName('test_outbox_depth');
    // Teardowns run last first: the function closes, then its database goes.
    t.teardown(() => dropDatabase(database));
    // The sink is down (nothing listens there), so the relay keeps what it finds.
    const running = await startFunctions({
      names: ['user-outbox-relay'],
      env: { MYSQL_DATABASE: database, K_SINK: 'http://127.0.0.1:9/' },
      logger,
    });
    t.teardown(() => running.close());
    const { sequelize } = await running.stores('user-outbox-relay').database();
    await commitEvents(sequelize, ['u-1', 'u-2', 'u-3'], 1, 1);
    t.deepEqual(await telemetry.points('ecom.outbox.depth'), [], 'nothing before the relay ran');

    const ping = await fetch(`${running.url('user-outbox-relay')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    t.is(ping.status, 503);
    t.deepEqual(
      (await telemetry.points('ecom.outbox.depth')).map(({ attributes, value }) => ({ attributes, value })),
      [{ attributes: {}, value: 3 }],
    );
    await commitEvents(sequelize, ['u-4'], 1, 1);
    t.like(await telemetry.points('ecom.outbox.depth'), [{ value: 4 }], 'counted again at each collection');
  },
);

test.serial(
  'a gRPC call is one rpc.server.call.duration point, by service, method and status code',
  async (t) => {
    const { client, stop } = await servedUserTestService(logger);
    t.teardown(stop);
    const get = (id: string) =>
      client.call('GetUser', { id }, { authorization: 'Bearer admin-token' }).catch(() => undefined);
    await get('u-admin');
    await get('u-admin');
    await get(BOOM_ID);

    const points = await histogramPoints('rpc.server.call.duration');
    const base = { 'rpc.system': 'grpc', 'rpc.service': USER_SERVICE, 'rpc.method': 'GetUser' };
    t.deepEqual(
      points.map(({ attributes, count }) => ({ attributes, count })),
      [
        { attributes: { ...base, 'rpc.grpc.status_code': 0 }, count: 2 },
        { attributes: { ...base, 'rpc.grpc.status_code': 13 }, count: 1 },
      ],
    );
  },
);
