import { startFunctions, type RunningFunctions } from './functions';
import { startProductService, type ProductServiceUnderTest } from './product-service';
import { dropDatabase } from './sql-fixture';
import { uniqueName } from './unique-name';

/**
 * The order service's functions in this process on a database of their own, beside a product service (its own too,
 * with its gRPC sidecar pricing the orders) and that service's user service, as on the cluster. Both services publish
 * to one events topic, the product service's, as every service publishes to the broker's one topic on the cluster:
 * a test broker on it carries the saga between them.
 */
export interface OrderServiceUnderTest extends RunningFunctions {
  readonly database: string;
  readonly eventsTopic: string;
  readonly products: ProductServiceUnderTest;
}

export async function startOrderService(
  overrides: Readonly<Record<string, string>> = {},
): Promise<OrderServiceUnderTest> {
  const products = await startProductService();
  const settings = {
    MYSQL_DATABASE: uniqueName('test_order'),
    EVENTS_TOPIC: products.eventsTopic,
    USER_GRPC_ADDRESS: products.users.grpcAddress('user-grpc'),
    PRODUCT_GRPC_ADDRESS: products.grpcAddress('product-grpc'),
    ...overrides,
  };
  try {
    const running = await startFunctions({ service: 'order', env: settings });
    // Created and migrated now rather than on the first request, so a test may read the tables at once.
    await running.stores('place-order').database();
    return {
      ...running,
      database: settings.MYSQL_DATABASE,
      eventsTopic: settings.EVENTS_TOPIC,
      products,
      async close() {
        await running.close();
        await dropDatabase(settings.MYSQL_DATABASE);
        await products.close();
      },
    };
  } catch (error) {
    await products.close();
    throw error;
  }
}
