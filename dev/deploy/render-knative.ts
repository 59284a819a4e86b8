import type { FunctionDefinition } from '../../shared/kit/function-definition';
import {
  broker,
  deadLetterSink,
  kafkaBrokerConfig,
  namespace,
  pingSource,
  triggers,
} from './knative-eventing';
import { knativeService } from './knative-service';
import { serviceConfigMap, servicesOf } from './service-config';
import { yamlFile, type GeneratedFile } from './yaml-file';

/** What every function shares: `knative/ecom-system.yaml`, deployed before any function (skaffold module ecom-system). */
export const SYSTEM_FILE = 'knative/ecom-system.yaml';

/** A function's own file, so that `skaffold run -m <function>` deploys exactly that function. */
export const functionFile = (name: string): string => `knative/${name}.yaml`;

/**
 * knative/: the system file (Namespace, the Kafka Broker and its config, the dead-letter KafkaSink, one ConfigMap
 * per service) and one file per function (its Service, then its Triggers or its PingSource).
 */
export function renderKnative(
  definitions: readonly FunctionDefinition[],
  options: { readonly jwtPublicKeyPem: string },
): GeneratedFile[] {
  const system = yamlFile(SYSTEM_FILE, [
    namespace(),
    kafkaBrokerConfig(),
    broker(),
    deadLetterSink(),
    ...servicesOf(definitions).map((service) =>
      serviceConfigMap(definitions, service, options.jwtPublicKeyPem),
    ),
  ]);
  const functions = definitions.map((definition) =>
    yamlFile(functionFile(definition.name), [
      knativeService(definition),
      ...triggers(definition),
      ...pingSource(definition),
    ]),
  );
  return [system, ...functions];
}
