import { applyStep, orderAfterRequest, type StepPorts } from '../../../shared/domain/order/apply-step';
import { orderNotFound, type Order } from '../../../shared/domain/order/order';
import type { Principal } from '../../../shared/domain/user/roles';

/** The source of the events this function emits. */
export const CANCEL_ORDER_SOURCE = '/ecom/order/cancel-order';

/**
 * Cancels an order for its customer or an admin; to anyone else it does not exist (404). An open order is CANCELLED
 * at once and its stock released; a paid one is CANCELLING until its refund is back. Cancelling a cancelled order
 * answers it as it is; a shipped one is 409.
 */
export async function cancelOrder(ports: StepPorts, orderId: string, caller: Principal): Promise<Order> {
  const order = await ports.orders.findById(orderId);
  const owner = order?.customerId === caller.userId;
  if (!order || (!owner && caller.role !== 'admin')) throw orderNotFound();
  const step = { kind: 'cancel', by: owner ? 'customer' : 'admin' } as const;
  return orderAfterRequest(await applyStep(ports, orderId, step, CANCEL_ORDER_SOURCE), orderNotFound);
}
