import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import { clusterSettings, labelsFor, NAMESPACE } from './deploy-settings';

/** The ConfigMap holding a service's plain settings. */
export const serviceConfigMapName = (service: Service): string => `${service}-config`;

/** The Secret holding a service's secrets; operators create it (see docs/deploy.md), the generator never does. */
export const serviceSecretName = (service: Service): string => `${service}-secrets`;

/** The services that have functions, in order. */
export function servicesOf(definitions: readonly FunctionDefinition[]): Service[] {
  return [...new Set(definitions.map((definition) => definition.service.name))].sort();
}

/** The variables a service's functions read from its ConfigMap, and those from its Secret. */
export function serviceVariables(
  definitions: readonly FunctionDefinition[],
  service: Service,
): { readonly env: string[]; readonly secrets: string[] } {
  const own = definitions.filter((definition) => definition.service.name === service);
  const union = (pick: (definition: FunctionDefinition) => readonly string[]) =>
    [...new Set(own.flatMap(pick))].sort();
  return { env: union((d) => d.config.env), secrets: union((d) => d.config.secrets) };
}

/** `<service>-config`: the cluster values of the variables the service's functions read (deploy-settings.ts). */
export function serviceConfigMap(
  definitions: readonly FunctionDefinition[],
  service: Service,
  jwtPublicKeyPem: string,
): object {
  const settings = clusterSettings(service, jwtPublicKeyPem);
  const data: Record<string, string> = {};
  for (const name of serviceVariables(definitions, service).env) {
    const value = settings[name];
    if (value !== undefined) data[name] = value;
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: serviceConfigMapName(service), namespace: NAMESPACE, labels: labelsFor({ service }) },
    data,
  };
}
