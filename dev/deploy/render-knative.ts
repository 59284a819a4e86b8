import type { FunctionDefinition } from '../../shared/kit/function-definition';
import {
  broker,
  deadLetterSink,
  kafkaBrokerConfig,
  namespace,
  deadLetterSource,
  pingSource,
  serviceAccount,
  triggers,
} from './knative-eventing';
import { knativeService } from './knative-service';
import { networkPolicies } from './network-policies';
import { kustomization } from './kustomization';
import { serviceConfigMap, servicesOf } from './service-config';
import { yamlFile, type GeneratedFile } from './yaml-file';

/** The kustomize base: every resource, as any environment deploys it; overlays (render-overlays.ts) adapt it. */
export const BASE_DIR = 'knative/base';

/**
 * Kubernetes resources that are not Knative's (the manifest validator checks knative/ against Knative's schemas
 * and the core kinds only): the base takes them in from here.
 */
export const KUBERNETES_DIR = 'kubernetes';

/** The NetworkPolicies of the namespace (network-policies.ts). */
export const NETWORK_POLICIES_FILE = `${KUBERNETES_DIR}/network-policies.yaml`;

/** The namespace, in a file of its own: skaffold's system module applies it and never deletes it. */
export const NAMESPACE_FILE = `${BASE_DIR}/namespace.yaml`;

/** What every function shares, deployed before any function (skaffold module ecom-system). */
export const SYSTEM_FILE = `${BASE_DIR}/ecom-system.yaml`;

/** A function's own file, so that `skaffold run -m <function>` deploys exactly that function. */
export const functionFile = (name: string): string => `${BASE_DIR}/${name}.yaml`;

/**
 * knative/base: the namespace; the system file (a ServiceAccount and a ConfigMap per service, the Kafka Broker and
 * its config, the dead-letter KafkaSink); one file per function (its Service, then its Triggers or its
 * PingSource); and the Kustomization listing them, namespace first, with the NetworkPolicies of kubernetes/.
 */
export function renderKnative(
  definitions: readonly FunctionDefinition[],
  options: { readonly jwtPublicKeyPem: string },
): GeneratedFile[] {
  const services = servicesOf(definitions);
  const system = yamlFile(SYSTEM_FILE, [
    ...services.map(serviceAccount),
    kafkaBrokerConfig(),
    broker(),
    deadLetterSink(),
    ...services.map((service) => serviceConfigMap(definitions, service, options.jwtPublicKeyPem)),
  ]);
  const functions = definitions.map((definition) =>
    yamlFile(functionFile(definition.name), [
      knativeService(definition),
      ...triggers(definition),
      ...pingSource(definition),
      ...deadLetterSource(definition),
    ]),
  );
  const files = [yamlFile(NAMESPACE_FILE, [namespace()]), system, ...functions];
  const policies = yamlFile(NETWORK_POLICIES_FILE, networkPolicies());
  const kubernetes = kustomization(KUBERNETES_DIR, { resources: ['network-policies.yaml'] });
  const base = kustomization(BASE_DIR, {
    resources: [...files.map((file) => file.path.slice(BASE_DIR.length + 1)), `../../${KUBERNETES_DIR}`],
  });
  return [...files, base, policies, kubernetes];
}
