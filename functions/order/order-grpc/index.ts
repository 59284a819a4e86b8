// order-grpc: the order service's synchronous API for the other services (proto/order.proto), over the same use
// cases as the HTTP reads: a customer reads only their own orders (anyone else's is NOT_FOUND), an admin anyone's.
import { z } from 'zod';
import type { OrderView } from '../../../shared/domain/order/order';
import type { Principal } from '../../../shared/domain/user/roles';
import { unaryService } from '../../../shared/grpc/grpc-service';
import { protoQuery } from '../../../shared/grpc/proto-query';
import type { RequestContext } from '../../../shared/grpc/request-context';
import { unary } from '../../../shared/grpc/unary-method';
import { registerGrpc } from '../../../shared/kit/register';
import { getOrder, listOrders, OrderIdParams, OrderListQuery } from '../order-query/use-case';
import { orderStores } from '../order-stores';
import { definition, ORDER_GRPC_SERVICE } from './function';

/** An order as the proto's message: empty strings where the API has null or leaves a field out (proto3 has neither). */
function toMessage(order: OrderView) {
  const { shippingAddress, shipment } = order;
  return {
    ...order,
    shippingAddress: {
      ...shippingAddress,
      line2: shippingAddress.line2 ?? '',
      region: shippingAddress.region ?? '',
    },
    shipment: shipment ? { ...shipment, deliveredAt: shipment.deliveredAt ?? '' } : null,
  };
}

/**
 * The caller as the order-query use cases take it. The kit's verifier hands every method the whole verified principal
 * (shared/runtime/principal.ts); the gRPC runtime types only the part it knows, and the use cases read `userId` and
 * `role` alone.
 */
const callerOf = (context: RequestContext) => context.principal as Principal;

const ListOrdersRequest = protoQuery(
  { status: z.string(), userId: z.string(), from: z.string(), to: z.string() },
  OrderListQuery,
);

registerGrpc(definition, ({ stores, verify, logger }, proto) => {
  const { orders } = orderStores(stores);
  return [
    unaryService({
      proto,
      name: ORDER_GRPC_SERVICE,
      verify,
      logger,
      methods: {
        GetOrder: unary({
          auth: 'authenticated',
          request: OrderIdParams,
          handle: async ({ id }, context) => toMessage(await getOrder(await orders(), id, callerOf(context))),
        }),
        ListOrders: unary({
          auth: 'authenticated',
          request: ListOrdersRequest,
          handle: async (query, context) => {
            const page = await listOrders(await orders(), query, callerOf(context));
            return { ...page, items: page.items.map(toMessage) };
          },
        }),
      },
    }),
  ];
});
