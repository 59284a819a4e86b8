import { z } from 'zod';
import { CancellationReason } from '../../../events/order-events';
import { AppError } from '../../errors/app-error';
import { MoneyView, type Money } from '../product/money';
import { OrderStatus, PaymentStatus, type OrderSagaState } from './order-saga';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Where an order goes. The country is an ISO 3166-1 alpha-2 code. */
export const ShippingAddress = z
  .object({
    name: text(100),
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    region: text(100).optional(),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE'),
  })
  .strict();
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** A line as the customer asks for it: no price (prices come from the catalogue, never from the client). */
export const OrderItemInput = z
  .object({
    productId: z.uuid(),
    quantity: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  })
  .strict();
export type OrderItemInput = z.infer<typeof OrderItemInput>;

/** `POST /v1/orders`. Unknown fields (a `unitPrice`, a `total`) are refused, never ignored. */
export const PlaceOrderInput = z
  .object({
    items: z.array(OrderItemInput).min(1, 'must hold at least one line').max(100),
    shippingAddress: ShippingAddress,
    // Kept only until the charge settles; never logged, never in an event.
    paymentToken: z.string().min(1).max(200),
  })
  .strict();
export type PlaceOrderInput = z.infer<typeof PlaceOrderInput>;

export interface OrderLine {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly lineTotal: Money;
}

export interface Order extends OrderSagaState {
  readonly id: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly shippingAddress: ShippingAddress;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Anyone but the order's customer and the admins is told it does not exist. */
export const orderNotFound = () => new AppError('not-found', 'ORDER.NOT_FOUND', 'No such order.');

/** A line of an order as the API answers it: the catalogue's terms when it was placed. */
export const OrderLineView = z
  .object({
    productId: z.uuid(),
    sku: z.string(),
    name: z.string(),
    unitPrice: MoneyView,
    quantity: z.number().int().min(1),
    lineTotal: MoneyView,
  })
  .meta({ id: 'OrderLine' });

/** Where an order goes, as the API answers it. */
export const ShippingAddressView = z
  .object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    region: z.string().optional(),
    postalCode: z.string(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-2 code.' }),
  })
  .meta({ id: 'ShippingAddress' });

/** An order as the API answers it. */
export const OrderView = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    status: OrderStatus,
    items: z.array(OrderLineView),
    total: MoneyView,
    shippingAddress: ShippingAddressView,
    payment: z
      .object({
        status: PaymentStatus,
        amount: MoneyView,
        reference: z
          .string()
          .meta({ description: "The gateway's reference of the charge; empty when declined." }),
      })
      .nullable()
      .meta({ description: 'Null until the charge was captured or declined.' }),
    shipment: z
      .object({
        carrier: z.string(),
        trackingNumber: z.string(),
        shippedAt: z.iso.datetime(),
        deliveredAt: z.iso.datetime().nullable(),
      })
      .nullable()
      .meta({ description: 'Null until shipped.' }),
    cancellation: z
      .object({ reason: CancellationReason, at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'Null unless cancelled (or being cancelled).' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof OrderView>;

export function orderView(order: Order): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    items: [...order.lines],
    total: order.total,
    shippingAddress: order.shippingAddress,
    payment: order.payment ?? null,
    shipment: order.shipment
      ? {
          carrier: order.shipment.carrier,
          trackingNumber: order.shipment.trackingNumber,
          shippedAt: order.shipment.shippedAt.toISOString(),
          deliveredAt: order.deliveredAt?.toISOString() ?? null,
        }
      : null,
    cancellation: order.cancellation
      ? { reason: order.cancellation.reason, at: order.cancellation.at.toISOString() }
      : null,
    createdAt: order.createdAt.toISOString(),
  };
}

/**
 * The lines of an order from the catalogue's quote, in the order asked, and its total. Refuses (nothing is made) an
 * unknown or inactive product (422 ORDER.PRODUCT_UNAVAILABLE), a line over `maxQuantity` (400), a product asked for
 * twice (400), and prices in more than one currency (422 ORDER.MIXED_CURRENCIES).
 */
export function priceLines(
  items: readonly OrderItemInput[],
  quote: ReadonlyMap<string, QuotedProduct>,
  maxQuantity: number,
): { readonly lines: readonly OrderLine[]; readonly total: Money } {
  const tooMany = items.flatMap((item, index) =>
    item.quantity > maxQuantity
      ? [{ field: `items.${String(index)}.quantity`, message: `must be at most ${String(maxQuantity)}` }]
      : [],
  );
  if (tooMany.length > 0)
    throw new AppError('invalid', 'REQUEST.INVALID', 'A line asks for too many units.', tooMany);
  const twice = items.flatMap((item, index) =>
    items.findIndex((other) => other.productId === item.productId) < index
      ? [{ field: `items.${String(index)}.productId`, message: 'is already on another line' }]
      : [],
  );
  if (twice.length > 0) {
    throw new AppError(
      'invalid',
      'REQUEST.INVALID',
      'Each product goes on one line; add to its quantity.',
      twice,
    );
  }
  const unavailable = items.flatMap((item, index) => {
    const quoted = quote.get(item.productId);
    return quoted?.sellable === true
      ? []
      : [{ field: `items.${String(index)}.productId`, message: 'is not a product on sale' }];
  });
  if (unavailable.length > 0) {
    throw new AppError('rule', 'ORDER.PRODUCT_UNAVAILABLE', 'Some products are not on sale.', unavailable);
  }
  const lines = items.map((item, index): OrderLine => {
    const quoted = quote.get(item.productId) as QuotedProduct;
    const amount = quoted.unitPrice.amount * item.quantity;
    if (!Number.isSafeInteger(amount)) {
      throw new AppError('invalid', 'REQUEST.INVALID', 'A line is too large.', [
        { field: `items.${String(index)}.quantity`, message: 'makes the line total too large' },
      ]);
    }
    return {
      productId: item.productId,
      sku: quoted.sku,
      name: quoted.name,
      unitPrice: quoted.unitPrice,
      quantity: item.quantity,
      lineTotal: { amount, currency: quoted.unitPrice.currency },
    };
  });
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  const [currency] = currencies;
  if (currencies.size !== 1 || currency === undefined) {
    throw new AppError('rule', 'ORDER.MIXED_CURRENCIES', 'The products of one order must share a currency.');
  }
  const amount = lines.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  if (!Number.isSafeInteger(amount)) {
    throw new AppError('invalid', 'REQUEST.INVALID', 'The order is too large.', [
      { field: 'items', message: 'make the total too large' },
    ]);
  }
  return { lines, total: { amount, currency } };
}

/** What the catalogue says of a product an order asks for (product-grpc's QuoteItems). */
export interface QuotedProduct {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
  /** Live and active: it can be ordered. */
  readonly sellable: boolean;
}
