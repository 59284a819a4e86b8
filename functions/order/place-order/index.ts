// place-order: POST /v1/orders -> 201 with the new order (200 with the same order when its Idempotency-Key is
// replayed), priced by product-grpc.
import { orderView } from '../../../shared/domain/order/order';
import { AppError } from '../../../shared/errors/app-error';
import { lazyProductGrpcClient } from '../../../shared/grpc/product-grpc-client';
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { productGrpcCatalog } from '../product-grpc-catalog';
import { definition, placeOrderRoute } from './function';
import { IdempotencyKeyHeader, placeOrder } from './use-case';

function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = IdempotencyKeyHeader.safeParse(header);
  if (!parsed.success) {
    throw new AppError('invalid', 'REQUEST.INVALID', 'The Idempotency-Key header is not valid.', [
      { field: 'Idempotency-Key', message: 'must be one header of 1 to 100 visible ASCII characters' },
    ]);
  }
  return parsed.data;
}

registerHttp(definition, ({ config, stores, hooks, logger }) => {
  const { orders } = orderStores(stores);
  const productGrpc = lazyProductGrpcClient(config.PRODUCT_GRPC_ADDRESS, { logger, hooks });
  return [
    defineRoute({
      route: placeOrderRoute,
      async handle(context) {
        const key = idempotencyKey(context.headers['idempotency-key']);
        const deps = {
          orders: await orders(),
          catalog: productGrpcCatalog(productGrpc, {
            requestId: context.requestId,
            ...(context.traceparent ? { traceparent: context.traceparent } : {}),
          }),
          now: () => new Date(),
          maxQuantityPerLine: config.ORDER_MAX_QUANTITY_PER_LINE,
        };
        const caller = {
          customerId: callerOf(context).userId,
          authorization: context.headers.authorization ?? '',
        };
        const { order, replayed } = await placeOrder(deps, context.body, caller, key);
        return {
          status: replayed ? 200 : 201,
          body: orderView(order),
          headers: { location: `/v1/orders/${order.id}` },
        };
      },
    }),
  ];
});
