import { AppError } from '../../errors/app-error';
import { serviceUnavailable } from '../../errors/unavailable';
import type { NewDomainEvent } from '../domain-event';
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

/** A step and when it happened. */
export interface TimedStep {
  readonly step: OrderStep;
  readonly at: Date;
}

/** What steps taken in turn make of an order: its next state and the events to store with it. */
export type StepPlan =
  | { readonly kind: 'changed'; readonly next: Order; readonly events: readonly NewDomainEvent[] }
  | { readonly kind: 'ignored'; readonly why: string }
  | { readonly kind: 'refused'; readonly error: AppError };

/**
 * Takes `steps` in turn on `order` (the saga decides each, order-saga.ts): the order they leave, each changing step's
 * effect events and timeline entry (stamped with its own time), or why nothing changes. A step the order's status
 * has left behind is skipped; a refused one refuses them all. `source` is the function taking the steps.
 */
export function planSteps(order: Order, steps: readonly TimedStep[], source: string): StepPlan {
  let next = order;
  const events: NewDomainEvent[] = [];
  let why = 'no step';
  for (const { step, at } of steps) {
    const decision = decide(next, step, at);
    if (decision.kind === 'refused') return decision;
    if (decision.kind === 'ignored') {
      why = decision.why;
      continue;
    }
    next = { ...next, ...decision.next, updatedAt: at };
    events.push(
      ...effectEvents(next, decision.effects, at, source),
      timelineEvent(next, { step: decision.timeline.type, detail: decision.timeline.detail }, at, source),
    );
  }
  return events.length === 0 ? { kind: 'ignored', why } : { kind: 'changed', next, events };
}

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
    const plan = planSteps(order, [{ step, at: ports.now() }], source);
    if (plan.kind === 'ignored') return { kind: 'ignored', order, why: plan.why };
    if (plan.kind === 'refused') return { kind: 'refused', order, error: plan.error };
    if (await ports.orders.transition(plan.next, order.status, plan.events)) {
      return { kind: 'changed', order: plan.next };
    }
  }
  throw busy(orderId, step.kind);
}

/** A step that lost every compare-and-set to other steps: the service is busy (503, or a redelivery). */
export const busy = (orderId: string, what: string) =>
  serviceUnavailable(new Error(`order ${orderId} kept changing under ${what}`));

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
