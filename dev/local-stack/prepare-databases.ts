import { migrateOrderService } from '../../functions/order/order-migrations';
import { USER_MIGRATIONS } from '../../functions/user/user-migrations';
import { createSequelize, ensureDatabase } from '../../shared/sql/create-sequelize';
import { migrate } from '../../shared/sql/migrate';
import { serviceSqlTarget, ServiceDatabaseEnv } from '../../shared/sql/service-database';
import type { Service } from '../../shared/runtime/function-definition';
import { loadConfig } from '../../shared/config/load-config';

/**
 * Migrates each service's SQL database once, before its functions start. On SQLite the migration lock only holds
 * within a process, and every function is a process of its own: done here, their first requests find nothing to
 * migrate. (On MySQL the functions' own named lock would do; doing it here too saves their first request the work.)
 */
export async function prepareDatabases(envFor: (service: Service) => NodeJS.ProcessEnv): Promise<void> {
  const user = serviceSqlTarget(loadConfig(ServiceDatabaseEnv, envFor('user')), 'user');
  await ensureDatabase(user);
  const userDb = await createSequelize(user);
  try {
    await migrate(userDb, USER_MIGRATIONS);
  } finally {
    await userDb.close();
  }
  const order = serviceSqlTarget(loadConfig(ServiceDatabaseEnv, envFor('order')), 'order');
  await ensureDatabase(order);
  const orderDb = await createSequelize(order);
  try {
    await migrateOrderService({ sql: { target: order, sequelize: orderDb } });
  } finally {
    await orderDb.close();
  }
}
