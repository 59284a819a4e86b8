import { startFunctions, type RunningFunctions } from './functions';
import { deleteTopics, ensureTopic, testKafka } from './kafka-fixture';
import { startProductService, type ProductServiceUnderTest } from './product-service';
import { dropDatabase } from './sql-fixture';
import { uniqueName } from './unique-name';

/**
 * The order service's functions in this process on a database and an events topic of their own, beside a product
 * service (its own too, with its gRPC sidecar pricing the orders) and that service's user service, as on the cluster.
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
    EVENTS_TOPIC: uniqueName('test-order-events'),
    USER_GRPC_ADDRESS: products.users.grpcAddress('user-grpc'),
    PRODUCT_GRPC_ADDRESS: products.grpcAddress('product-grpc'),
    ...overrides,
  };
  try {
    await ensureTopic(testKafka(products.users.kafkaBrokers), settings.EVENTS_TOPIC);
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
        await deleteTopics(testKafka(products.users.kafkaBrokers), [settings.EVENTS_TOPIC]);
        await products.close();
      },
    };
  } catch (error) {
    await products.close();
    throw error;
  }
}
