import path from 'node:path';
import { stringify } from 'yaml';
import { GENERATED_HEADER, labelsFor, NAMESPACE } from './deploy-settings';
import { kongNetworkPolicies, KONG_POD_LABELS } from './kong-network-policies';
import { KONG_FILE } from './render-kong';
import { KUBERNETES_DIR } from './render-knative';
import { kustomization } from './kustomization';
import { yamlFile, type GeneratedFile } from './yaml-file';
import { RESTRICTED_CONTAINER } from './pod-security';

/** Kong's official image; a cluster resolves it against its default registry. */
export const KONG_IMAGE = 'kong:3.9';

/** The name of Kong's Deployment, Service and container. */
export const KONG_NAME = 'kong';

/** Kong's proxy listeners (its own defaults) and its status listener, in the pod. */
export const KONG_PORTS = { http: 8000, https: 8443, status: 8100 } as const;

/**
 * The ConfigMap kustomize generates from kong/kong.yml: its name carries a hash of the content, so a changed
 * kong.yml is a new ConfigMap and a new pod template, and the Deployment rolls. A DB-less Kong never rereads its
 * file on its own.
 */
export const KONG_CONFIG_MAP = 'kong-declarative';

/** The `kubernetes.io/tls` Secret the production variant serves HTTPS with (cert-manager or `kubectl create secret tls`). */
export const KONG_TLS_SECRET = 'kong-tls';

/** Kustomization of the Kong every environment runs: the Deployment, its Service and its NetworkPolicies. */
export const KONG_BASE_DIR = `${KUBERNETES_DIR}/kong/base`;

/** `kubectl apply -k kong`: that Kong with kong/kong.yml, serving HTTPS with Kong's own generated certificate. */
export const KONG_DIR = 'kong';

/**
 * `kubectl apply -k kubernetes/kong/production`: the same, serving HTTPS with the certificate of
 * {@link KONG_TLS_SECRET}, from two replicas, with kong.yml carrying the production token key.
 */
export const KONG_PRODUCTION_DIR = `${KUBERNETES_DIR}/kong/production`;

/**
 * The production Kong's kong.yml, beside its Kustomization: kong/kong.yml with the production token key, written
 * by dev/deploy/kong-production.ts (skaffold's production profile runs it first).
 */
export const KONG_PRODUCTION_CONFIG_FILE = 'kong.yml';

const DECLARATIVE_DIR = '/kong/declarative';
const TLS_DIR = '/etc/kong/tls';
/** Kong writes its nginx config, pid and sockets under its prefix: an emptyDir, the root filesystem being read-only. */
const PREFIX_DIR = '/kong_prefix';
const kongYml = KONG_FILE.slice(`${KONG_DIR}/`.length);

const env = (values: Readonly<Record<string, string>>) =>
  Object.entries(values).map(([name, value]) => ({ name, value }));

function deployment(): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: KONG_NAME, namespace: NAMESPACE, labels: { ...labelsFor(), ...KONG_POD_LABELS } },
    spec: {
      replicas: 1,
      selector: { matchLabels: KONG_POD_LABELS },
      // A new kong.yml starts a new pod before an old one stops: the edge never has no Kong.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        // Not labelled part-of ecom: the functions' NetworkPolicies select that label, Kong has its own.
        metadata: { labels: KONG_POD_LABELS },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: KONG_NAME,
              image: KONG_IMAGE,
              env: env({
                KONG_DATABASE: 'off',
                KONG_DECLARATIVE_CONFIG: `${DECLARATIVE_DIR}/${kongYml}`,
                KONG_PREFIX: PREFIX_DIR,
                // HTTP/2 on the TLS listener: gRPC routes are grpcs only.
                KONG_PROXY_LISTEN: `0.0.0.0:${KONG_PORTS.http}, 0.0.0.0:${KONG_PORTS.https} http2 ssl`,
                KONG_STATUS_LISTEN: `0.0.0.0:${KONG_PORTS.status}`,
                // Read-only in DB-less mode, and reachable only from inside the pod (kubectl port-forward, decK diff).
                KONG_ADMIN_LISTEN: '127.0.0.1:8001',
                // The opentelemetry plugin (kong.yml) records spans only with an instrumentation on: the request's.
                // Its own sampling_rate supersedes the global rate.
                KONG_TRACING_INSTRUMENTATIONS: 'request',
                KONG_TRACING_SAMPLING_RATE: '1',
                KONG_PROXY_ACCESS_LOG: '/dev/stdout',
                KONG_ADMIN_ACCESS_LOG: '/dev/stdout',
                KONG_PROXY_ERROR_LOG: '/dev/stderr',
                KONG_ADMIN_ERROR_LOG: '/dev/stderr',
                // nginx's `auto` starts a worker per node CPU, each with its own memory: the limit below fits two.
                KONG_NGINX_WORKER_PROCESSES: '2',
              }),
              ports: [
                { name: 'proxy', containerPort: KONG_PORTS.http, protocol: 'TCP' },
                { name: 'proxy-tls', containerPort: KONG_PORTS.https, protocol: 'TCP' },
                { name: 'status', containerPort: KONG_PORTS.status, protocol: 'TCP' },
              ],
              // Ready once the declarative config is loaded into every worker; alive while nginx answers.
              readinessProbe: {
                httpGet: { path: '/status/ready', port: 'status' },
                periodSeconds: 5,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/status', port: 'status' },
                initialDelaySeconds: 5,
                periodSeconds: 10,
                failureThreshold: 3,
              },
              // Stop taking new connections and let the requests in flight finish before the pod goes.
              lifecycle: { preStop: { exec: { command: ['kong', 'quit', '--wait=15'] } } },
              resources: {
                requests: { cpu: '200m', memory: '256Mi' },
                limits: { memory: '1Gi' },
              },
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [
                { name: 'prefix', mountPath: PREFIX_DIR },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'declarative', mountPath: DECLARATIVE_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'prefix', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'declarative', configMap: { name: KONG_CONFIG_MAP } },
          ],
        },
      },
    },
  };
}

/**
 * Kong's proxy as the outside reaches it: 80 and 443 on a load balancer. `externalTrafficPolicy: Local` keeps the
 * client's address (no SNAT to a node's), which the rate limits count by.
 */
function service(): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KONG_NAME, namespace: NAMESPACE, labels: { ...labelsFor(), ...KONG_POD_LABELS } },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: KONG_POD_LABELS,
      ports: [
        { name: 'http', port: 80, targetPort: 'proxy', protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 'proxy-tls', protocol: 'TCP' },
      ],
    },
  };
}

/**
 * The production variant's patch: the certificate of the TLS Secret, required (`optional: false`, so a missing
 * Secret keeps the pod from starting instead of serving Kong's self-signed default), and two replicas.
 */
const productionPatch = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: KONG_NAME, namespace: NAMESPACE },
  spec: {
    // Each replica counts the `local` rate limits on its own (RATE_LIMIT in deploy-settings.ts).
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: KONG_NAME,
            env: env({ KONG_SSL_CERT: `${TLS_DIR}/tls.crt`, KONG_SSL_CERT_KEY: `${TLS_DIR}/tls.key` }),
            volumeMounts: [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }],
          },
        ],
        volumes: [{ name: 'tls', secret: { secretName: KONG_TLS_SECRET, optional: false } }],
      },
    },
  },
};

/**
 * Kong in DB-less mode with kong/kong.yml: its manifests (kubernetes/kong/base), `kong/Kustomization`, which
 * generates the ConfigMap from kong.yml beside it (kustomize reads files only inside a kustomization's own
 * directory), and the production variant. Manifests are kept out of kong/, where every YAML file is read as a
 * Kong declarative config.
 */
export function renderKongDeployment(): GeneratedFile[] {
  return [
    yamlFile(`${KONG_BASE_DIR}/kong.yaml`, [deployment(), service(), ...kongNetworkPolicies()]),
    kustomization(KONG_BASE_DIR, { resources: ['kong.yaml'] }),
    kustomization(KONG_DIR, {
      namespace: NAMESPACE,
      resources: [path.posix.relative(KONG_DIR, KONG_BASE_DIR)],
      configMapGenerator: [{ name: KONG_CONFIG_MAP, files: [kongYml] }],
    }),
    kustomization(KONG_PRODUCTION_DIR, {
      resources: [path.posix.relative(KONG_PRODUCTION_DIR, KONG_DIR)],
      // kong.yml with the production key, never the committed development one: kustomize fails without the file.
      configMapGenerator: [
        { name: KONG_CONFIG_MAP, behavior: 'replace', files: [KONG_PRODUCTION_CONFIG_FILE] },
      ],
      patches: [{ patch: stringify(productionPatch) }],
    }),
    // Derived from the key before each deploy, never committed (it would go stale as the functions change).
    {
      path: `${KONG_PRODUCTION_DIR}/.gitignore`,
      content: `${GENERATED_HEADER}\n/${KONG_PRODUCTION_CONFIG_FILE}\n`,
    },
  ];
}
