import { applyStep, type StepPorts } from '../../../shared/domain/order/apply-step';

/** The source of the events this function emits. */
export const EXPIRE_ORDERS_SOURCE = '/ecom/order/expire-orders';

/** Orders read per batch, and batches per run: a run stays short, and the next minute's takes the rest. */
export const EXPIRY_BATCH = 100;
export const EXPIRY_BATCHES_PER_RUN = 10;

/**
 * Cancels as EXPIRED every order still waiting for stock or payment (PENDING, RESERVED) that was placed more than
 * `windowMinutes` ago, oldest first; each through the saga, so one paid meanwhile stays paid. Returns how many it
 * cancelled.
 */
export async function expireOrders(ports: StepPorts, windowMinutes: number): Promise<number> {
  const placedBefore = new Date(ports.now().getTime() - windowMinutes * 60_000);
  let expired = 0;
  for (let batch = 0; batch < EXPIRY_BATCHES_PER_RUN; batch++) {
    const ids = await ports.orders.openBefore(placedBefore, EXPIRY_BATCH);
    let changed = 0;
    for (const id of ids) {
      const result = await applyStep(ports, id, { kind: 'expire' }, EXPIRE_ORDERS_SOURCE);
      if (result.kind === 'changed') changed += 1;
    }
    expired += changed;
    // A short batch was the last; a batch none of which changed (all moved on meanwhile) would come back the same.
    if (ids.length < EXPIRY_BATCH || changed === 0) break;
  }
  if (expired > 0) ports.logger.info('orders expired', { expired, windowMinutes });
  return expired;
}
