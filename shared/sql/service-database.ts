import path from 'node:path';
import { z } from 'zod';
import { MysqlEnv } from '../config/env-schemas';
import type { Service } from '../kit/service-declaration';
import type { SqlTarget } from './sql-target';

/**
 * Who applies a service's schema migrations (SQL, and its Cassandra keyspace). `at-start` (the default: the embedded
 * and local stacks, the tests): each function instance applies what is pending before its first use. `job` (the
 * cluster's ConfigMaps): the service's migration Job does, under a user that may change the schema, before the
 * functions roll; a function then runs no DDL, and until every migration is recorded its stores are unavailable.
 */
export const SchemaMigrations = z.enum(['at-start', 'job']);
export type SchemaMigrations = z.infer<typeof SchemaMigrations>;

/**
 * Where a service keeps its relational data: `DB_DIALECT=mysql` (the cluster, the integration tests) uses the
 * service's own database `MYSQL_DATABASE` (default `ecom_<service>`); `DB_DIALECT=sqlite` (the embedded local
 * stack) one file per service under `SQLITE_DIR`. SCHEMA_MIGRATIONS says who migrates it (and the keyspace).
 */
export const ServiceDatabaseEnv = MysqlEnv.extend({
  DB_DIALECT: z.enum(['mysql', 'sqlite']).default('mysql'),
  MYSQL_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only')
    .optional(),
  SQLITE_DIR: z.string().min(1).default('.data/embedded'),
  SCHEMA_MIGRATIONS: SchemaMigrations.default('at-start'),
});
export type ServiceDatabaseEnv = z.infer<typeof ServiceDatabaseEnv>;

export function serviceSqlTarget(
  env: Omit<ServiceDatabaseEnv, 'SCHEMA_MIGRATIONS'>,
  service: Service,
): SqlTarget {
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
