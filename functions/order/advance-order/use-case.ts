import type { Logger } from '../../../shared/domain/logger';
import type { Handled } from '../../../shared/domain/once-per-event';
import { effectEvents } from '../../../shared/domain/order/order-effect-events';
import type { OrderRepository } from '../../../shared/domain/order/order-ports';
import { decide, type OrderStep } from '../../../shared/domain/order/order-saga';
import { serviceUnavailable } from '../../../shared/errors/unavailable';

/** The source of the events this function emits. */
export const ADVANCE_ORDER_SOURCE = '/ecom/order/advance-order';

/** Attempts at a step when other steps keep moving the order first; then the broker brings the event again. */
export const TRANSITION_ATTEMPTS = 3;

export interface AdvanceOrderPorts {
  readonly orders: OrderRepository;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * Applies a saga event to its order: the saga decides (shared/domain/order/order-saga.ts), the change is stored with
 * a compare-and-set on the status it was decided from, and the events of its effects go out through the outbox in
 * the same transaction: `processed`. A late or duplicate event changes nothing and is acknowledged (`duplicate`), so
 * the broker does not bring it again; so is an event about an order this service does not hold.
 */
export async function advanceOrder(
  ports: AdvanceOrderPorts,
  orderId: string,
  step: OrderStep,
): Promise<Handled> {
  for (let attempt = 1; attempt <= TRANSITION_ATTEMPTS; attempt++) {
    const order = await ports.orders.findById(orderId);
    if (!order) {
      ports.logger.warn('saga event for an unknown order', { orderId, step: step.kind });
      return 'duplicate';
    }
    const at = ports.now();
    const decision = decide(order, step, at);
    if (decision.kind !== 'changed') {
      // An event is never refused: a step the status does not allow is a late one.
      ports.logger.info('saga event ignored', {
        orderId,
        step: step.kind,
        status: order.status,
        why: decision.kind === 'ignored' ? decision.why : decision.error.message,
      });
      return 'duplicate';
    }
    const next = { ...order, ...decision.next, updatedAt: at };
    const events = effectEvents(next, decision.effects, at, ADVANCE_ORDER_SOURCE);
    if (await ports.orders.transition(next, order.status, events)) return 'processed';
  }
  throw serviceUnavailable(new Error(`order ${orderId} kept changing under ${step.kind}`));
}
