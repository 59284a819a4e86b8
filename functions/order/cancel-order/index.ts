// cancel-order: POST /v1/orders/{id}/cancel -> 200 with the CANCELLED order, or 202 while its refund is under way.
import { orderView } from '../../../shared/domain/order/order';
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { cancelOrderRoute, definition } from './function';
import { cancelOrder } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { orders } = orderStores(stores);
  return [
    defineRoute({
      route: cancelOrderRoute,
      async handle(context) {
        const ports = { orders: await orders(), now: () => new Date(), logger: context.logger };
        const order = await cancelOrder(ports, context.params.id, callerOf(context));
        return { status: order.status === 'CANCELLING' ? 202 : 200, body: orderView(order) };
      },
    }),
  ];
});
