/**
 * A store whose schema its service's migration Job has not brought up to date, met by a function that may not
 * migrate it itself (SCHEMA_MIGRATIONS=job). The kit answers it as the service being unavailable (503, gRPC
 * UNAVAILABLE, a redelivered event) and logs it: the Job has not run, or not to the end, for this version.
 */
export class SchemaNotMigrated extends Error {
  constructor(
    /** `database ecom_user`, `keyspace ecom_order`. */
    readonly store: string,
    /** The migrations that are not recorded there, in name order. */
    readonly pending: readonly string[],
    /** The Job that applies them: `<service>-migrate`. */
    readonly job: string,
  ) {
    super(
      `The ${store} is missing ${String(pending.length)} migration(s) (${pending.join(', ')}): ` +
        `the migration Job ${job} has not run for this version`,
    );
    this.name = 'SchemaNotMigrated';
  }
}

/** The migration Job of a service, as the generator names it (dev/deploy/migration-job.ts). */
export const migrationJobOf = (service: string): string => `${service}-migrate`;
