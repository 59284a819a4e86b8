// ship-order: POST /v1/orders/{id}/shipment (PAID -> SHIPPED) and /delivery (SHIPPED -> DELIVERED), admins only.
import type { Logger } from '../../../shared/domain/logger';
import { orderView } from '../../../shared/domain/order/order';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { definition, deliveryRoute, shipmentRoute } from './function';
import { deliverOrder, shipOrder } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { orders } = orderStores(stores);
  const ports = async (logger: Logger) => ({
    orders: await orders(),
    now: () => new Date(),
    logger,
  });
  return [
    defineRoute({
      route: shipmentRoute,
      async handle(context) {
        const order = await shipOrder(await ports(context.logger), context.params.id, context.body);
        return { status: 200, body: orderView(order) };
      },
    }),
    defineRoute({
      route: deliveryRoute,
      async handle(context) {
        const order = await deliverOrder(await ports(context.logger), context.params.id);
        return { status: 200, body: orderView(order) };
      },
    }),
  ];
});
