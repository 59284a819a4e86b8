import path from 'node:path';
import { z } from 'zod';
import { MysqlEnv } from '../config/env-schemas';
import type { Service } from '../kit/service-declaration';
import type { SqlTarget } from './sql-target';

/**
 * Where a service keeps its relational data: `DB_DIALECT=mysql` (the cluster, the integration tests) uses the
 * service's own database `MYSQL_DATABASE` (default `ecom_<service>`); `DB_DIALECT=sqlite` (the embedded local
 * stack) one file per service under `SQLITE_DIR`.
 */
export const ServiceDatabaseEnv = MysqlEnv.extend({
  DB_DIALECT: z.enum(['mysql', 'sqlite']).default('mysql'),
  MYSQL_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only')
    .optional(),
  SQLITE_DIR: z.string().min(1).default('.data/embedded'),
});
export type ServiceDatabaseEnv = z.infer<typeof ServiceDatabaseEnv>;

export function serviceSqlTarget(env: ServiceDatabaseEnv, service: Service): SqlTarget {
  if (env.DB_DIALECT === 'sqlite') {
    return { dialect: 'sqlite', storage: path.resolve(env.SQLITE_DIR, `${service}.sqlite`) };
  }
  return {
    dialect: 'mysql',
    host: env.MYSQL_HOST,
    port: env.MYSQL_PORT,
    user: env.MYSQL_USER,
    password: env.MYSQL_PASSWORD,
    database: env.MYSQL_DATABASE ?? `ecom_${service}`,
  };
}
