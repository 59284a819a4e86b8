// The migration Job of each service (issue 14, item 8): it applies the service's schema migrations (its database,
// and its Cassandra keyspace when its histories live there) under a database user that may change the schema,
// before the functions roll; the functions run as a user that may only read and write rows, with
// SCHEMA_MIGRATIONS=job (deploy-settings.ts), so they never run DDL. Kubernetes kinds live under kubernetes/ (the
// manifest validator checks knative/ against Knative's schemas and the core kinds only).
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { migrationJobOf } from '../../shared/kit/schema-not-migrated';
import type { Service } from '../../shared/kit/service-declaration';
import { imageOf, labelsFor, NAMESPACE, serviceAccountOf } from './deploy-settings';
import { kustomization } from './kustomization';
import { KUBERNETES_DIR } from './render-knative';
import { serviceConfigMapName, servicesOf } from './service-config';
import { yamlFile, type GeneratedFile } from './yaml-file';
import { RESTRICTED_CONTAINER } from './pod-security';

/** The Job, its image and its bundle (dist/<service>-migrate/): `<service>-migrate`. */
export const migrationJobName = (service: Service): string => migrationJobOf(service);

/**
 * The Secret with the migrating user's credentials (`MIGRATOR_SECRET_KEYS`), apart from the functions' own
 * (`<service>-secrets`, the row-only user): operators create it (docs/deploy.md); the Job requires it.
 */
export const migratorSecretName = (service: Service): string => `${service}-migrator-secrets`;

/** What the migrator Secret holds: the user that may change the schema, and its password. */
export const MIGRATOR_SECRET_KEYS = ['MYSQL_USER', 'MYSQL_PASSWORD'] as const;

/** The label that marks every migration Job and its pods. */
export const MIGRATION_COMPONENT = { 'app.kubernetes.io/component': 'migration' } as const;

/** A service's kustomization of its Job (a directory of its own, so a skaffold module deploys exactly it). */
export const migrationDir = (service: Service): string => `${KUBERNETES_DIR}/${migrationJobName(service)}`;

/** The Job's file. */
export const migrationJobFile = (service: Service): string => `${migrationDir(service)}/job.yaml`;

/** How long a Job may run in all (its tries included); skaffold's after-deploy hook waits a minute longer. */
export const MIGRATION_TIMEOUT_SECONDS = 300;

/**
 * Kept this long after it finishes, for its log and for `kubectl wait`; then Kubernetes deletes it. Re-applying the
 * Job with a changed pod template (a new image) before then fails (a Job's template is immutable): skaffold deletes
 * it first (render-skaffold.ts), and so does the documented `kubectl apply -k` (docs/deploy.md).
 */
export const MIGRATION_TTL_SECONDS = 3600;

/**
 * `<service>-migrate`: one pod, never restarted in place, tried up to three times, under the service's
 * ServiceAccount with no API token, and under Pod Security `restricted` like the functions (knative-service.ts).
 * Its settings are the service's ConfigMap; MYSQL_USER and MYSQL_PASSWORD come from the migrator Secret instead
 * (an `env` entry wins over `envFrom`).
 */
export function migrationJob(service: Service): object {
  const labels = { ...labelsFor({ service }), ...MIGRATION_COMPONENT };
  const name = migrationJobName(service);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: MIGRATION_TIMEOUT_SECONDS,
      ttlSecondsAfterFinished: MIGRATION_TTL_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: serviceAccountOf(service),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: 'migrate',
              image: imageOf(name),
              // env[0], as in the functions: the local overlay switches it to development.
              env: [
                { name: 'NODE_ENV', value: 'production' },
                ...MIGRATOR_SECRET_KEYS.map((key) => ({
                  name: key,
                  valueFrom: { secretKeyRef: { name: migratorSecretName(service), key, optional: false } },
                })),
              ],
              envFrom: [{ configMapRef: { name: serviceConfigMapName(service) } }],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
              securityContext: RESTRICTED_CONTAINER,
            },
          ],
        },
      },
    },
  };
}

/** kubernetes/<service>-migrate/: the Job and its Kustomization, for every service with functions. */
export function renderMigrationJobs(definitions: readonly FunctionDefinition[]): GeneratedFile[] {
  return servicesOf(definitions).flatMap((service) => [
    yamlFile(migrationJobFile(service), [migrationJob(service)]),
    kustomization(migrationDir(service), { resources: ['job.yaml'] }),
  ]);
}
