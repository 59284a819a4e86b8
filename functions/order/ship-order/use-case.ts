import { z } from 'zod';
import { applyStep, orderAfterRequest, type StepPorts } from '../../../shared/domain/order/apply-step';
import { orderNotFound, type Order } from '../../../shared/domain/order/order';

/** The source of the events this function emits. */
export const SHIP_ORDER_SOURCE = '/ecom/order/ship-order';

/** `POST /v1/orders/{id}/shipment`. */
export const ShipmentInput = z
  .object({
    carrier: z.string().trim().min(1).max(100),
    trackingNumber: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces'),
  })
  .strict();
export type ShipmentInput = z.infer<typeof ShipmentInput>;

/** PAID -> SHIPPED; any other status is 409, an unknown order 404. */
export async function shipOrder(ports: StepPorts, orderId: string, shipment: ShipmentInput): Promise<Order> {
  const step = { kind: 'ship', ...shipment } as const;
  return orderAfterRequest(await applyStep(ports, orderId, step, SHIP_ORDER_SOURCE), orderNotFound);
}

/** SHIPPED -> DELIVERED; any other status is 409, an unknown order 404. */
export async function deliverOrder(ports: StepPorts, orderId: string): Promise<Order> {
  return orderAfterRequest(
    await applyStep(ports, orderId, { kind: 'deliver' }, SHIP_ORDER_SOURCE),
    orderNotFound,
  );
}
