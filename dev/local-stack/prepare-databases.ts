import { loadConfig } from '../../shared/config/load-config';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service, ServiceDeclaration } from '../../shared/kit/service-declaration';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { createSequelize } from '../../shared/sql/create-sequelize';
import { serviceSqlTarget, ServiceDatabaseEnv } from '../../shared/sql/service-database';

/** The services the functions belong to, each once. */
export function serviceDeclarationsOf(definitions: readonly FunctionDefinition[]): ServiceDeclaration[] {
  return [
    ...new Map(definitions.map((definition) => [definition.service.name, definition.service])).values(),
  ];
}

/**
 * Migrates each service's SQL database once, before its functions start. On SQLite the migration lock only holds
 * within a process, and every function is a process of its own: done here, their first requests find nothing to
 * migrate. (On MySQL the functions' own named lock would do; doing it here too saves their first request the work.)
 */
export async function prepareDatabases(
  services: readonly ServiceDeclaration[],
  envFor: (service: Service) => NodeJS.ProcessEnv,
): Promise<void> {
  for (const service of services) {
    const target = serviceSqlTarget(loadConfig(ServiceDatabaseEnv, envFor(service.name)), service.name);
    const sequelize = await createSequelize(target);
    try {
      await migrateServiceDatabase(service, target, sequelize);
    } finally {
      await sequelize.close();
    }
  }
}
