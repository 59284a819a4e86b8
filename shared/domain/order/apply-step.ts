import { AppError } from '../../errors/app-error';
import { serviceUnavailable } from '../../errors/unavailable';
import type { Logger } from '../logger';
import type { Order } from './order';
import { effectEvents, timelineEvent } from './order-effect-events';
import type { OrderRepository } from './order-ports';
import { decide, type OrderStep } from './order-saga';

/** Attempts at a step when other steps keep moving the order first; then the caller is told to try again. */
export const TRANSITION_ATTEMPTS = 3;

export interface StepPorts {
  readonly orders: OrderRepository;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** What a step did to its order. */
export type StepResult =
  | { readonly kind: 'changed'; readonly order: Order }
  /** A late or duplicate step: the order as it is. */
  | { readonly kind: 'ignored'; readonly order: Order; readonly why: string }
  /** A request the order's status does not allow (409). */
  | { readonly kind: 'refused'; readonly order: Order; readonly error: AppError }
  | { readonly kind: 'missing' };

/**
 * Applies one step of the saga to an order: the saga decides (order-saga.ts), the change is stored with a
 * compare-and-set on the status it was decided from, and the events of its effects and its timeline entry go to the
 * outbox in the same transaction. When another step moved the order first, it decides again on what that step left, up to
 * {@link TRANSITION_ATTEMPTS} times; then it is the service being busy (503, or a redelivery), never a lost step.
 * `source` is the function taking the step, the source of the events it emits.
 */
export async function applyStep(
  ports: StepPorts,
  orderId: string,
  step: OrderStep,
  source: string,
): Promise<StepResult> {
  for (let attempt = 1; attempt <= TRANSITION_ATTEMPTS; attempt++) {
    const order = await ports.orders.findById(orderId);
    if (!order) return { kind: 'missing' };
    const at = ports.now();
    const decision = decide(order, step, at);
    if (decision.kind === 'ignored') return { kind: 'ignored', order, why: decision.why };
    if (decision.kind === 'refused') return { kind: 'refused', order, error: decision.error };
    const next: Order = { ...order, ...decision.next, updatedAt: at };
    const events = [
      ...effectEvents(next, decision.effects, at, source),
      timelineEvent(next, { step: decision.timeline.type, detail: decision.timeline.detail }, at, source),
    ];
    if (await ports.orders.transition(next, order.status, events)) return { kind: 'changed', order: next };
  }
  throw serviceUnavailable(new Error(`order ${orderId} kept changing under ${step.kind}`));
}

/** The answer to a customer's or an admin's request for a step: the order as it now is, or why not (409). */
export function orderAfterRequest(result: StepResult, notFound: () => AppError): Order {
  switch (result.kind) {
    case 'missing':
      throw notFound();
    case 'refused':
      throw result.error;
    case 'changed':
    case 'ignored':
      return result.order;
  }
}
