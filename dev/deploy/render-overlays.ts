import { DEV_JWT_PRIVATE_KEY_PEM } from '../../shared/auth/dev-keys';
import { DEV_INTERNAL_TOKEN } from '../../shared/auth/internal-token';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import {
  DLQ,
  imageOf,
  KAFKA_AUTH_KEYS,
  KAFKA_AUTH_SECRET,
  LOCAL_REGISTRY,
  NAMESPACE,
  PRODUCTION_REGISTRY,
} from './deploy-settings';
import { KAFKA_BROKER_CONFIG } from './knative-eventing';
import { migrationDir, migrationJobName, migratorSecretName } from './migration-job';
import { BASE_DIR } from './render-knative';
import { kustomization } from './kustomization';
import { serviceConfigMapName, serviceSecretName, servicesOf, serviceVariables } from './service-config';
import type { GeneratedFile } from './yaml-file';

export const OVERLAYS = ['local', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** `kubectl apply -k` this directory to deploy the environment in one go, namespace first. */
export const overlayDir = (overlay: Overlay): string => `knative/overlays/${overlay}`;

/**
 * A service's migration Job as the environment runs it (its image under the environment's name): a part of the
 * overlay, in a directory of its own so skaffold's `<service>-migrations` module deploys exactly it.
 */
export const migrationOverlayDir = (overlay: Overlay, service: Service): string =>
  `${overlayDir(overlay)}/${migrationJobName(service)}`;

/**
 * The overlay in the order skaffold rolls it (render-skaffold.ts): `system` (everything but the functions and the
 * migration Jobs), then each service's Job (above), then `functions` (the Knative Services with their Triggers and
 * PingSources). Each stage is the whole overlay with the other stages' kinds deleted; beside the overlay, not in it
 * (kustomize refuses a kustomization that includes its own ancestor).
 */
export const STAGES = ['system', 'functions'] as const;
export type Stage = (typeof STAGES)[number];
export const stageDir = (overlay: Overlay, stage: Stage): string => `knative/stages/${overlay}/${stage}`;

/** The kinds of the functions stage: what a function's own file holds (render-knative.ts). */
const FUNCTION_KINDS = [
  { group: 'serving.knative.dev', version: 'v1', kind: 'Service' },
  { group: 'eventing.knative.dev', version: 'v1', kind: 'Trigger' },
  { group: 'sources.knative.dev', version: 'v1', kind: 'PingSource' },
  { group: 'sources.knative.dev', version: 'v1beta1', kind: 'KafkaSource' },
] as const;
const JOB_KIND = { group: 'batch', version: 'v1', kind: 'Job' } as const;
/**
 * The kinds of the system stage: the namespace, the system file and the NetworkPolicies, and the overlay's Secrets.
 * A kind added to the base but to neither list lands in both stages: a test (kustomize-stages) fails then.
 */
const SYSTEM_KINDS = [
  { version: 'v1', kind: 'Namespace' },
  { version: 'v1', kind: 'ServiceAccount' },
  { version: 'v1', kind: 'ConfigMap' },
  { version: 'v1', kind: 'Secret' },
  { group: 'eventing.knative.dev', version: 'v1', kind: 'Broker' },
  { group: 'eventing.knative.dev', version: 'v1alpha1', kind: 'KafkaSink' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
] as const;

type Kind = { readonly group?: string; readonly version: string; readonly kind: string };

/** A patch that deletes every resource of a kind (its name is ignored: the target selects). */
const deleteAll = ({ group, version, kind }: Kind) => ({
  target: { ...(group ? { group } : {}), version, kind },
  patch: [
    '$patch: delete',
    `apiVersion: ${group ? `${group}/` : ''}${version}`,
    `kind: ${kind}`,
    'metadata:',
    '  name: any',
  ].join('\n'),
});

/** One stage of an overlay: the overlay, less the kinds of the other stages. */
function stage(overlay: Overlay, which: Stage): GeneratedFile {
  const others: readonly Kind[] =
    which === 'system' ? [...FUNCTION_KINDS, JOB_KIND] : [...SYSTEM_KINDS, JOB_KIND];
  return kustomization(stageDir(overlay, which), {
    resources: [`../../../overlays/${overlay}`],
    patches: others.map(deleteAll),
  });
}

/**
 * A service's Job in an environment: its image under the environment's name (`newTag` in production, the release
 * tag), and on a local cluster the functions' local settings (never pulled, development mode).
 */
function migrationOverlay(overlay: Overlay, service: Service, tag: string): GeneratedFile {
  const image = imageOf(migrationJobName(service));
  const local = overlay === 'local';
  return kustomization(migrationOverlayDir(overlay, service), {
    resources: [`../../../../${migrationDir(service)}`],
    images: [
      local
        ? { name: image, newName: `${LOCAL_REGISTRY}/${image}` }
        : { name: image, newName: `${PRODUCTION_REGISTRY}/${image}`, newTag: tag },
    ],
    ...(local
      ? {
          patches: [
            {
              target: JOB_KIND,
              patch: jsonPatch([
                {
                  op: 'add',
                  path: '/spec/template/spec/containers/0/imagePullPolicy',
                  value: 'IfNotPresent',
                },
                { op: 'test', path: '/spec/template/spec/containers/0/env/0/name', value: 'NODE_ENV' },
                { op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: 'development' },
              ]),
            },
          ],
        }
      : {}),
  });
}

/** The overlay's own migration parts, as its resources list names them. */
const migrationParts = (definitions: readonly FunctionDefinition[]) =>
  servicesOf(definitions).map((service) => migrationJobName(service));

/** The public key file the production overlay reads; the operator puts it there (kustomize fails without it). */
export const PRODUCTION_PUBLIC_KEY_FILE = 'jwt-public.pem';

/**
 * The development value of each secret a local cluster gets (the code's own defaults): a required secret without
 * one here fails the generator, so a new secret cannot be forgotten.
 */
const LOCAL_SECRETS: Readonly<Record<string, string>> = {
  MYSQL_PASSWORD: '',
  JWT_PRIVATE_KEY: DEV_JWT_PRIVATE_KEY_PEM,
  ADMIN_PASSWORD: DEV_ADMIN_PASSWORD,
  INTERNAL_TOKEN: DEV_INTERNAL_TOKEN,
};

const fromBase = `../../${BASE_DIR.slice('knative/'.length)}`;
const knativeServices = { group: 'serving.knative.dev', version: 'v1', kind: 'Service' };
/** JSON patches (RFC 6902) as kustomize takes them inline: one string of YAML. */
const jsonPatch = (ops: readonly object[]) => ops.map((op) => `- ${JSON.stringify(op)}`).join('\n');
/** `/` in a JSON pointer's key is written `~1`. */
const annotation = (name: string) => `/spec/template/metadata/annotations/${name.replaceAll('/', '~1')}`;

/**
 * The local overlay, for kind or minikube: images as loaded into the cluster under `dev.local/` (Knative does not
 * resolve those against a registry) and never pulled, one instance of each function at most, one replica of
 * Kafka topics and Cassandra keyspaces, development mode (the committed dev keys are accepted) and the
 * development secrets, generated here.
 */
function localOverlay(definitions: readonly FunctionDefinition[]): GeneratedFile {
  const services = servicesOf(definitions);
  const optional = new Set(definitions.flatMap((definition) => definition.config.optionalSecrets));
  const secretGenerator = services.map((service) => {
    const { secrets } = serviceVariables(definitions, service);
    return {
      name: serviceSecretName(service),
      namespace: NAMESPACE,
      literals: secrets
        .filter((key) => !optional.has(key) && !(key in KAFKA_AUTH_KEYS))
        .map((key) => {
          const value = LOCAL_SECRETS[key];
          if (value === undefined)
            throw new Error(`No local value for the secret ${key}: add it to LOCAL_SECRETS`);
          return `${key}=${value}`;
        }),
    };
  });
  // The migrating user of a local cluster's MySQL (docs/deploy.md makes it), with the development password.
  const migratorSecrets = services.map((service) => ({
    name: migratorSecretName(service),
    namespace: NAMESPACE,
    literals: [
      `MYSQL_USER=ecom_${service}_migrator`,
      `MYSQL_PASSWORD=${LOCAL_SECRETS['MYSQL_PASSWORD'] ?? ''}`,
    ],
  }));
  const cassandra = services.filter((service) =>
    serviceVariables(definitions, service).env.includes('CASSANDRA_REPLICATION_FACTOR'),
  );
  return kustomization(overlayDir('local'), {
    resources: [fromBase, ...migrationParts(definitions)],
    images: definitions.map(({ name }) => ({
      name: imageOf(name),
      newName: `${LOCAL_REGISTRY}/${imageOf(name)}`,
    })),
    patches: [
      {
        target: knativeServices,
        patch: jsonPatch([
          { op: 'add', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'IfNotPresent' },
          { op: 'replace', path: annotation('autoscaling.knative.dev/max-scale'), value: '1' },
          // env[0] is NODE_ENV (knative-service.ts): development accepts the committed dev keys and secrets.
          { op: 'test', path: '/spec/template/spec/containers/0/env/0/name', value: 'NODE_ENV' },
          { op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: 'development' },
        ]),
      },
      {
        target: { version: 'v1', kind: 'ConfigMap', name: KAFKA_BROKER_CONFIG },
        patch: jsonPatch([{ op: 'replace', path: '/data/default.topic.replication.factor', value: '1' }]),
      },
      {
        target: { group: 'eventing.knative.dev', kind: 'KafkaSink', name: DLQ },
        patch: jsonPatch([{ op: 'replace', path: '/spec/replicationFactor', value: 1 }]),
      },
    ],
    configMapGenerator: cassandra.map((service) => ({
      name: serviceConfigMapName(service),
      namespace: NAMESPACE,
      behavior: 'merge',
      literals: ['CASSANDRA_REPLICATION_FACTOR=1'],
    })),
    secretGenerator: [...secretGenerator, ...migratorSecrets],
    // The functions refer to these by name from Knative Services, which kustomize's name references do not know.
    generatorOptions: { disableNameSuffixHash: true },
  });
}

/**
 * The production overlay: images from the registry set in deploy-settings.ts, tagged with the package version;
 * the token public key from `jwt-public.pem` beside it (no development key reaches production; kustomize fails
 * while the file is missing); Kafka credentials for the broker, the dead-letter sink and the dead-letter source from
 * the `kafka-auth` Secret. The secrets themselves are created by the operator (docs/deploy.md); the base requires them.
 */
function productionOverlay(definitions: readonly FunctionDefinition[], tag: string): GeneratedFile {
  const signed = servicesOf(definitions).filter((service) =>
    serviceVariables(definitions, service).env.includes('JWT_PUBLIC_KEY'),
  );
  return kustomization(overlayDir('production'), {
    resources: [fromBase, ...migrationParts(definitions)],
    images: definitions.map(({ name }) => ({
      name: imageOf(name),
      newName: `${PRODUCTION_REGISTRY}/${imageOf(name)}`,
      newTag: tag,
    })),
    patches: [
      {
        target: { version: 'v1', kind: 'ConfigMap', name: KAFKA_BROKER_CONFIG },
        patch: jsonPatch([{ op: 'add', path: '/data/auth.secret.ref.name', value: KAFKA_AUTH_SECRET }]),
      },
      {
        target: { group: 'eventing.knative.dev', kind: 'KafkaSink', name: DLQ },
        patch: jsonPatch([
          { op: 'add', path: '/spec/auth', value: { secret: { ref: { name: KAFKA_AUTH_SECRET } } } },
        ]),
      },
      {
        // The KafkaSource names each key of the same Secret (SASL over TLS, as docs/deploy.md creates it).
        target: { group: 'sources.knative.dev', kind: 'KafkaSource' },
        patch: jsonPatch([{ op: 'add', path: '/spec/net', value: kafkaSourceNet(KAFKA_AUTH_SECRET) }]),
      },
    ],
    configMapGenerator: signed.map((service) => ({
      name: serviceConfigMapName(service),
      namespace: NAMESPACE,
      behavior: 'merge',
      files: [`JWT_PUBLIC_KEY=${PRODUCTION_PUBLIC_KEY_FILE}`],
    })),
    generatorOptions: { disableNameSuffixHash: true },
  });
}

/**
 * knative/overlays/<env>/Kustomization for every environment, with its migration Jobs
 * (knative/overlays/<env>/<service>-migrate/), and its stages for skaffold (knative/stages/<env>/).
 */
export function renderOverlays(definitions: readonly FunctionDefinition[], tag: string): GeneratedFile[] {
  return [
    localOverlay(definitions),
    productionOverlay(definitions, tag),
    ...OVERLAYS.flatMap((overlay) => [
      ...servicesOf(definitions).map((service) => migrationOverlay(overlay, service, tag)),
      ...STAGES.map((which) => stage(overlay, which)),
    ]),
  ];
}

/** A KafkaSource's `net`: SASL (user, password, mechanism) over TLS (the CA), each from a key of `secret`. */
function kafkaSourceNet(secret: string): object {
  const key = (name: string) => ({ secretKeyRef: { name: secret, key: name } });
  return {
    sasl: { enable: true, user: key('user'), password: key('password'), type: key('sasl.mechanism') },
    tls: { enable: true, caCert: key('ca.crt') },
  };
}
