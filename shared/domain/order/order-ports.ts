import type { NewDomainEvent } from '../domain-event';
import type { Order, OrderItemInput, QuotedProduct } from './order';
import type { OrderStatus } from './order-saga';

/** The catalogue as an order sees it: product-grpc's QuoteItems, asked with the customer's own token. */
export interface Catalog {
  /** What the catalogue says of each product asked for, by product id; an unknown one is missing or not sellable. */
  quote(items: readonly OrderItemInput[], authorization: string): Promise<ReadonlyMap<string, QuotedProduct>>;
}

/** A placement's idempotency key: the customer's own, and the digest of the request it first came with. */
export interface IdempotencyKey {
  readonly key: string;
  readonly requestDigest: string;
}

/** What a key already names: the order its first request made, and that request's digest. */
export interface KeyedOrder {
  readonly orderId: string;
  readonly requestDigest: string;
}

/** Which orders a list holds; every field narrows it. */
export interface OrderFilter {
  readonly customerId?: string;
  readonly status?: OrderStatus;
  /** Placed at or after. */
  readonly from?: Date;
  /** Placed before. */
  readonly to?: Date;
}

export interface OrderRepository {
  findById(id: string): Promise<Order | undefined>;
  /** A page of the orders `filter` holds, newest first (ties by id), and how many it holds in all. */
  list(
    filter: OrderFilter,
    page: { readonly page: number; readonly pageSize: number },
  ): Promise<{ readonly items: readonly Order[]; readonly total: number }>;
  /**
   * Stores `next` if the order's status is still `from` (a compare-and-set), with `events` to the outbox, in one
   * transaction. False, storing nothing, when another step moved the order first.
   */
  transition(next: Order, from: OrderStatus, events: readonly NewDomainEvent[]): Promise<boolean>;
  /** Ids of up to `limit` orders still waiting for stock or payment (PENDING, RESERVED) placed before `placedBefore`, oldest first. */
  openBefore(placedBefore: Date, limit: number): Promise<readonly string[]>;
  /** The order a customer's idempotency key already made, if any. */
  findByKey(customerId: string, key: string): Promise<KeyedOrder | undefined>;
  /**
   * Stores a new order, its payment token (until the charge settles), its key and `events` (to the outbox) in one
   * transaction. When another request took the same key meanwhile, stores nothing and answers what that key names.
   */
  place(
    order: Order,
    placement: {
      readonly paymentToken: string;
      readonly idempotency?: IdempotencyKey;
      readonly events: readonly NewDomainEvent[];
    },
  ): Promise<{ readonly placed: true } | { readonly placed: false; readonly existing: KeyedOrder }>;
}
