import { randomUUID } from 'node:crypto';
import { startFunctions, type RunningFunctions } from './functions';
import { deleteTopics, ensureTopic, testKafka } from './kafka-fixture';
import { dropDatabase } from './sql-fixture';
import { uniqueName } from './unique-name';
import { ADMIN, startUserService, type UserServiceUnderTest } from './user-service';

/**
 * The product service's functions in this process on a database and an events topic of their own, beside a user
 * service (its own too) that signs callers in and confirms admins' sessions over gRPC, as on the cluster.
 */
export interface ProductServiceUnderTest extends RunningFunctions {
  readonly database: string;
  readonly eventsTopic: string;
  readonly users: UserServiceUnderTest;
  /** A fresh access token of the configured admin. */
  adminToken(): Promise<string>;
  /** A fresh access token of a new customer. */
  customerToken(): Promise<string>;
  /** A new active product at `amount` cents (900 by default) with `units` on hand, made by the admin: its id. */
  stockedProduct(units: number, amount?: number): Promise<string>;
}

export async function startProductService(
  overrides: Readonly<Record<string, string>> = {},
): Promise<ProductServiceUnderTest> {
  const users = await startUserService();
  const settings = {
    MYSQL_DATABASE: uniqueName('test_product'),
    EVENTS_TOPIC: uniqueName('test-product-events'),
    USER_GRPC_ADDRESS: users.grpcAddress('user-grpc'),
    ...overrides,
  };
  try {
    await ensureTopic(testKafka(users.kafkaBrokers), settings.EVENTS_TOPIC);
    const running = await startFunctions({ service: 'product', env: settings });
    // Created and migrated now rather than on the first request, so a test may read the tables at once.
    await running.stores('product-query').database();
    const tokenOf = async (path: string, body: unknown) => {
      const response = await users.call('POST', path, { body });
      if (!response.ok) throw new Error(`${path}: ${String(response.status)} ${await response.text()}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    };
    const adminToken = () => tokenOf('/v1/auth/login', ADMIN);
    return {
      ...running,
      database: settings.MYSQL_DATABASE,
      eventsTopic: settings.EVENTS_TOPIC,
      users,
      adminToken,
      async stockedProduct(units, amount = 900) {
        const token = await adminToken();
        const created = await running.call('POST', '/v1/products', {
          token,
          body: {
            sku: `TEST-${randomUUID().slice(0, 8)}`,
            name: 'Test mug',
            price: { amount, currency: 'USD' },
            status: 'active',
          },
        });
        if (created.status !== 201)
          throw new Error(`create: ${String(created.status)} ${await created.text()}`);
        const { id } = (await created.json()) as { id: string };
        if (units === 0) return id;
        const restock = await running.call('POST', `/v1/products/${id}/inventory/adjustments`, {
          token,
          body: { delta: units, reason: 'restock' },
        });
        if (restock.status !== 200)
          throw new Error(`restock: ${String(restock.status)} ${await restock.text()}`);
        return id;
      },
      async customerToken() {
        const email = `${uniqueName('shopper')}@example.com`;
        const password = 'correct horse battery';
        const registered = await users.call('POST', '/v1/auth/register', {
          body: { email, password, name: 'Shopper' },
        });
        if (registered.status !== 201) throw new Error(`register: ${String(registered.status)}`);
        return tokenOf('/v1/auth/login', { email, password });
      },
      async close() {
        await running.close();
        await dropDatabase(settings.MYSQL_DATABASE);
        await deleteTopics(testKafka(users.kafkaBrokers), [settings.EVENTS_TOPIC]);
        await users.close();
      },
    };
  } catch (error) {
    await users.close();
    throw error;
  }
}
