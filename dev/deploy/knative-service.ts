import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { HEALTH_CHECK_PATH } from '../../shared/runtime/function-server';
import {
  CONTAINER_PORT,
  EMBEDDED_ONLY_VARIABLES,
  imageOf,
  KAFKA_AUTH_KEYS,
  KAFKA_AUTH_SECRET,
  labelsFor,
  NAMESPACE,
  serviceAccountOf,
} from './deploy-settings';
import { serviceConfigMapName, serviceSecretName } from './service-config';
import { RESTRICTED_CONTAINER } from './pod-security';

/**
 * The Knative Service of one function: scale to zero, the declared autoscaling and limits, its config from the
 * service's ConfigMap and Secret, and a readiness probe (HTTP `GET /healthz`; the gRPC health service on the h2c
 * port for sidecars). Visible inside the cluster only: Kong is the way in.
 */
export function knativeService(definition: FunctionDefinition): object {
  const { name, scaling, resources, trigger } = definition;
  const labels = labelsFor({ service: definition.service.name, fn: name });
  const grpc = trigger.kind === 'grpc';
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { ...labels, 'networking.knative.dev/visibility': 'cluster-local' },
      annotations: { 'ecom.dev/description': definition.description },
    },
    spec: {
      template: {
        metadata: {
          labels,
          annotations: {
            'autoscaling.knative.dev/min-scale': String(scaling.minScale),
            'autoscaling.knative.dev/max-scale': String(scaling.maxScale),
            'autoscaling.knative.dev/target': String(scaling.target),
            // The target is already 70% of the measured capacity (scalingOf): Knative must not take 70% of it again.
            'autoscaling.knative.dev/target-utilization-percentage': '100',
          },
        },
        spec: {
          serviceAccountName: serviceAccountOf(definition.service.name),
          automountServiceAccountToken: false,
          containerConcurrency: scaling.containerConcurrency,
          timeoutSeconds: scaling.timeoutSeconds,
          enableServiceLinks: false,
          containers: [
            {
              name: 'function',
              image: imageOf(name),
              ports: [{ name: grpc ? 'h2c' : 'http1', containerPort: CONTAINER_PORT }],
              env: environment(definition),
              resources: {
                requests: { cpu: resources.cpu, memory: resources.memory },
                // No CPU limit: throttling would slow cold starts and argon2; memory is capped at the request.
                limits: { memory: resources.memory },
              },
              // No period: Knative's queue-proxy then probes aggressively, so a cold start is served sooner.
              readinessProbe: grpc
                ? { grpc: { port: CONTAINER_PORT } }
                : { httpGet: { path: HEALTH_CHECK_PATH } },
              securityContext: RESTRICTED_CONTAINER,
            },
          ],
        },
      },
    },
  };
}

/**
 * NODE_ENV=production (dev defaults are then refused), every declared setting from the service's ConfigMap (but
 * the embedded stack's) and every secret from its Secret. A setting left out of the ConfigMap keeps the code's
 * default. A secret is required (a missing one fails the revision at rollout, not the first query) unless its
 * absence only turns a feature off (SMTP_URL).
 */
function environment({ service: { name: service }, config }: FunctionDefinition): object[] {
  const kafkaAuth = (name: string) => name in KAFKA_AUTH_KEYS;
  const settings = config.env.filter(
    (name) => name !== 'NODE_ENV' && !EMBEDDED_ONLY_VARIABLES.includes(name) && !kafkaAuth(name),
  );
  const secrets = config.secrets.filter((name) => !kafkaAuth(name));
  // Kafka's credentials, where they are needed: from the Secret the Kafka broker uses too. Optional, since a
  // Kafka without authentication needs none (the settings then default to PLAINTEXT).
  const credentials = [...config.env, ...config.secrets].filter(kafkaAuth).sort();
  return [
    { name: 'NODE_ENV', value: 'production' },
    ...[...settings].sort().map((key) => ({
      name: key,
      valueFrom: { configMapKeyRef: { name: serviceConfigMapName(service), key, optional: true } },
    })),
    ...[...secrets].sort().map((key) => ({
      name: key,
      valueFrom: {
        secretKeyRef: {
          name: serviceSecretName(service),
          key,
          optional: config.optionalSecrets.includes(key),
        },
      },
    })),
    ...credentials.map((name) => ({
      name,
      valueFrom: { secretKeyRef: { name: KAFKA_AUTH_SECRET, key: KAFKA_AUTH_KEYS[name], optional: true } },
    })),
  ];
}
