import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OrderPlaced } from '../../../events/order-placed';
import { domainEvent } from '../../../shared/domain/domain-event';
import { timelineEvent } from '../../../shared/domain/order/order-effect-events';
import { priceLines, type Order, type PlaceOrderInput } from '../../../shared/domain/order/order';
import type { Catalog, IdempotencyKey, OrderRepository } from '../../../shared/domain/order/order-ports';
import { formatMoney } from '../../../shared/domain/product/money';
import { AppError } from '../../../shared/errors/app-error';

/** `Idempotency-Key`: up to 100 visible ASCII characters, chosen by the client (a UUID is a good one). */
export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 visible ASCII characters');

/** The source of the events this function emits. */
export const PLACE_ORDER_SOURCE = OrderPlaced.source;

export interface PlaceOrderDeps {
  readonly orders: OrderRepository;
  readonly catalog: Catalog;
  readonly now: () => Date;
  /** The most units of one product an order may ask for (ORDER_MAX_QUANTITY_PER_LINE). */
  readonly maxQuantityPerLine: number;
}

export interface PlaceOrderCaller {
  readonly customerId: string;
  /** The caller's `Authorization` header: the catalogue is asked with the customer's own token. */
  readonly authorization: string;
}

/** Whether the order was made now, or an earlier request with the same key made it (`replayed`). */
export interface Placement {
  readonly order: Order;
  readonly replayed: boolean;
}

const keyReused = () =>
  new AppError(
    'conflict',
    'ORDER.IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for another request; use a new key for a new order.',
  );

/** The same request gives the same digest: the parsed body, whose keys zod puts in the schema's order. */
const digestOf = (input: PlaceOrderInput) =>
  createHash('sha256').update(JSON.stringify(input)).digest('base64url');

/**
 * Places an order: prices its lines from the catalogue (never from the client), stores it PENDING with its
 * `com.ecom.order.placed` event (one transaction, through the outbox), and keeps the payment token until the
 * charge settles. With an idempotency key, the same request again answers the order it made, and another
 * request with that key is 409.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: PlaceOrderInput,
  caller: PlaceOrderCaller,
  key?: string,
): Promise<Placement> {
  const idempotency: IdempotencyKey | undefined =
    key === undefined ? undefined : { key, requestDigest: digestOf(input) };
  if (idempotency) {
    const earlier = await deps.orders.findByKey(caller.customerId, idempotency.key);
    if (earlier) return replay(deps.orders, earlier, idempotency);
  }
  const quote = await deps.catalog.quote(input.items, caller.authorization);
  const { lines, total } = priceLines(input.items, quote, deps.maxQuantityPerLine);
  const now = deps.now();
  const order: Order = {
    id: randomUUID(),
    customerId: caller.customerId,
    status: 'PENDING',
    lines,
    total,
    shippingAddress: input.shippingAddress,
    createdAt: now,
    updatedAt: now,
  };
  const placed = domainEvent(OrderPlaced, order.id, now, {
    orderId: order.id,
    customerId: order.customerId,
    lines: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
    placedAt: now.toISOString(),
  });
  const entry = { step: 'placed', detail: `placed: ${String(lines.length)} line(s), ${formatMoney(total)}` };
  const outcome = await deps.orders.place(order, {
    paymentToken: input.paymentToken,
    events: [placed, timelineEvent(order, entry, now, PLACE_ORDER_SOURCE)],
    ...(idempotency ? { idempotency } : {}),
  });
  if (outcome.placed) return { order, replayed: false };
  // Another request with the same key won the race: answer as if this one came second.
  return replay(deps.orders, outcome.existing, idempotency as IdempotencyKey);
}

async function replay(
  orders: OrderRepository,
  earlier: { readonly orderId: string; readonly requestDigest: string },
  idempotency: IdempotencyKey,
): Promise<Placement> {
  if (earlier.requestDigest !== idempotency.requestDigest) throw keyReused();
  const order = await orders.findById(earlier.orderId);
  if (!order) throw new Error(`idempotency key names order ${earlier.orderId}, which is missing`);
  return { order, replayed: true };
}
