import type { Handled } from '../../../shared/domain/once-per-event';
import { applyStep, type StepPorts } from '../../../shared/domain/order/apply-step';
import type { OrderStep } from '../../../shared/domain/order/order-saga';

/** The source of the events this function emits. */
export const ADVANCE_ORDER_SOURCE = '/ecom/order/advance-order';

/**
 * Applies a saga event to its order (shared/domain/order/apply-step.ts): `processed` when it moved the order. A late
 * or duplicate event changes nothing and is acknowledged (`duplicate`), so the broker does not bring it again; so is
 * an event about an order this service does not hold. An event is never refused: a step the status does not allow
 * is a late one.
 */
export async function advanceOrder(ports: StepPorts, orderId: string, step: OrderStep): Promise<Handled> {
  const result = await applyStep(ports, orderId, step, ADVANCE_ORDER_SOURCE);
  switch (result.kind) {
    case 'changed':
      return 'processed';
    case 'missing':
      ports.logger.warn('saga event for an unknown order', { orderId, step: step.kind });
      return 'duplicate';
    case 'ignored':
    case 'refused':
      ports.logger.info('saga event ignored', {
        orderId,
        step: step.kind,
        status: result.order.status,
        why: result.kind === 'ignored' ? result.why : result.error.message,
      });
      return 'duplicate';
  }
}
