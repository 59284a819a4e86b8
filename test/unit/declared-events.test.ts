// What a function publishes is declared (`uses.events` in its function.ts) and enforced: the outbox refuses, before
// anything is stored, an event of a type the function did not declare or from another function's source.
import test, { type ExecutionContext } from 'ava';
import { Sequelize } from 'sequelize';
import { functionDefinition, functionFolders } from '../../dev/build';
import { EVENT_CATALOG } from '../../events/catalog';
import { OrderCancelled } from '../../events/order-cancelled';
import { OrderPlaced } from '../../events/order-placed';
import type { NewDomainEvent } from '../../shared/domain/domain-event';
import { appendedEvents, declaredEvents, refuseUndeclared } from '../../shared/kit/declared-events';
import {
  defineFunction,
  defineOutboxRelay,
  type FunctionDefinition,
} from '../../shared/kit/function-definition';
import { outboxPublisher } from '../../shared/kit/outbox';
import { defineService } from '../../shared/kit/service-declaration';
import { memoryLogger } from '../support/memory/memory-logger';

const service = defineService({ name: 'order', migrations: [], histories: [] });
const placeOrder = defineFunction({
  name: 'place-order',
  service,
  description: 'places orders',
  trigger: { kind: 'http', routes: [] },
  uses: { database: true, events: [OrderPlaced] },
});

const eventOf = (type: string, source = '/ecom/order/place-order'): NewDomainEvent => ({
  type,
  source,
  subject: 'o1',
  partitionKey: 'o1',
  data: {},
});

/**
 * Appends through the outbox of `definition` on an empty database: it has no outbox table, so an append that got
 * as far as writing would fail with SQLite's "no such table", not with the refusal.
 */
async function append(
  t: ExecutionContext,
  definition: FunctionDefinition,
  events: readonly NewDomainEvent[],
) {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  t.teardown(() => sequelize.close());
  const outbox = outboxPublisher({
    sequelize,
    sink: () => Promise.reject(new Error('no sink in this test')),
    logger: memoryLogger(),
    declared: declaredEvents(definition),
  });
  const transaction = await sequelize.transaction();
  try {
    return await outbox.append(transaction, events);
  } finally {
    await transaction.rollback();
  }
}

test('a declared type from its own source passes', (t) => {
  t.notThrows(() => {
    refuseUndeclared(declaredEvents(placeOrder), [eventOf(OrderPlaced.type)]);
  });
});

test('the outbox refuses a type its function did not declare, before it writes anything', async (t) => {
  await t.throwsAsync(append(t, placeOrder, [eventOf(OrderPlaced.type), eventOf(OrderCancelled.type)]), {
    message:
      'place-order appends com.ecom.order.cancelled but does not declare it in uses.events (function.ts)',
  });
});

test('the outbox refuses an event that names another function as its source', async (t) => {
  await t.throwsAsync(append(t, placeOrder, [eventOf(OrderPlaced.type, '/ecom/order/cancel-order')]), {
    message:
      "place-order appends com.ecom.order.placed from source /ecom/order/cancel-order; its events' source is /ecom/order/place-order",
  });
});

test('a declared event gets as far as the outbox table', async (t) => {
  await t.throwsAsync(append(t, placeOrder, [eventOf(OrderPlaced.type)]), { message: /no such table/ });
});

test('an outbox relay publishes what others appended and may append nothing itself', async (t) => {
  const relay = defineOutboxRelay(service);
  t.is(relay.uses.events, 'relay');
  t.deepEqual(appendedEvents(relay.uses), []);
  await t.throwsAsync(append(t, relay, [eventOf(OrderPlaced.type, '/ecom/order/order-outbox-relay')]), {
    message: /^order-outbox-relay appends com\.ecom\.order\.placed but does not declare it/,
  });
});

test('a replaying function appends what other functions published, as it was, and declares no type of its own', async (t) => {
  const replaying = defineFunction({
    name: 'replay-dead-letters',
    service,
    description: 'publishes dead letters again',
    trigger: { kind: 'http', routes: [] },
    uses: { database: true, events: 'replay' },
  });
  t.deepEqual(appendedEvents(replaying.uses), []);
  // Past the refusal, to the outbox table: another function's type and source, with the event's own id.
  await t.throwsAsync(
    append(t, replaying, [{ ...eventOf(OrderCancelled.type, '/ecom/order/cancel-order'), id: 'e-1' }]),
    {
      message: /no such table/,
    },
  );
});

test('a declaration lists each type once, and at least one', (t) => {
  const spec = { name: 'noisy', service, description: 'x', trigger: { kind: 'http', routes: [] } } as const;
  t.throws(() => defineFunction({ ...spec, uses: { events: [] } }), { message: /lists no event/ });
  t.throws(() => defineFunction({ ...spec, uses: { events: [OrderPlaced, OrderPlaced] } }), {
    message: 'noisy: uses.events lists com.ecom.order.placed twice',
  });
});

test('every function declares events of the catalogue, the very definitions it holds', (t) => {
  for (const folder of functionFolders()) {
    const definition = functionDefinition(folder);
    for (const event of appendedEvents(definition.uses)) {
      t.is(EVENT_CATALOG[event.type], event, `${definition.name}: ${event.type}`);
    }
  }
});
