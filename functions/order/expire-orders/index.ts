// expire-orders: run every 5 minutes by a PingSource (so it scales to zero in between); cancels the orders that waited too long for stock or payment.
import { registerSchedule } from '../../../shared/kit/register';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { expireOrders } from './use-case';

registerSchedule(definition, ({ config, stores, logger }) => {
  const { orders } = orderStores(stores);
  return async () => {
    await expireOrders(
      { orders: await orders(), now: () => new Date(), logger },
      config.ORDER_PAYMENT_WINDOW_MINUTES,
    );
  };
});
