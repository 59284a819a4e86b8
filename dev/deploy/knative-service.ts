import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { HEALTH_CHECK_PATH } from '../../shared/runtime/function-server';
import { CONTAINER_PORT, EMBEDDED_ONLY_VARIABLES, imageOf, labelsFor, NAMESPACE } from './deploy-settings';
import { serviceConfigMapName, serviceSecretName } from './service-config';

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
          },
        },
        spec: {
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
              securityContext: {
                // The image's `node` user, by number: the kubelet can only check a numeric user is not root.
                runAsUser: 1000,
                runAsGroup: 1000,
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * NODE_ENV=production (dev defaults are then refused), every declared setting from the service's ConfigMap (but
 * the embedded stack's) and every secret from its Secret. Optional: a key left out keeps the code's default.
 */
function environment({ service: { name: service }, config }: FunctionDefinition): object[] {
  const settings = config.env.filter(
    (name) => name !== 'NODE_ENV' && !EMBEDDED_ONLY_VARIABLES.includes(name),
  );
  return [
    { name: 'NODE_ENV', value: 'production' },
    ...[...settings].sort().map((key) => ({
      name: key,
      valueFrom: { configMapKeyRef: { name: serviceConfigMapName(service), key, optional: true } },
    })),
    ...[...config.secrets].sort().map((key) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: serviceSecretName(service), key, optional: true } },
    })),
  ];
}
