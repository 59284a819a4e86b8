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
    return {
      ...running,
      database: settings.MYSQL_DATABASE,
      eventsTopic: settings.EVENTS_TOPIC,
      users,
      adminToken: () => tokenOf('/v1/auth/login', ADMIN),
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
