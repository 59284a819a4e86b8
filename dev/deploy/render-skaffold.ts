import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { imageOf } from './deploy-settings';
import { functionFile, SYSTEM_FILE } from './render-knative';
import { yamlFile, type GeneratedFile } from './yaml-file';

export const SKAFFOLD_FILE = 'skaffold.yaml';
const API_VERSION = 'skaffold/v4beta14';

/** The module of the shared resources (namespace, broker, DLQ, ConfigMaps). */
export const SYSTEM_MODULE = 'ecom-system';

/** The module that requires every other: `skaffold run -m ecom` deploys the whole system. */
export const WHOLE_SYSTEM_MODULE = 'ecom';

/** One module per function: its image, built from the one Dockerfile with FUNCTION=<fn>, and its own file. */
function functionModule(definition: FunctionDefinition): object {
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: definition.name },
    build: {
      artifacts: [
        {
          image: imageOf(definition.name),
          context: '.',
          docker: { dockerfile: 'Dockerfile', buildArgs: { FUNCTION: definition.name } },
        },
      ],
    },
    manifests: { rawYaml: [functionFile(definition.name)] },
    deploy: { kubectl: {} },
  };
}

/**
 * skaffold.yaml: the system module, a module per function (`skaffold run -m register` builds and deploys
 * register alone), and `ecom`, which requires them all in order (`skaffold run -m ecom`; a plain `skaffold run`
 * runs every module too).
 */
export function renderSkaffold(definitions: readonly FunctionDefinition[]): GeneratedFile {
  const system = {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: SYSTEM_MODULE },
    manifests: { rawYaml: [SYSTEM_FILE] },
    deploy: { kubectl: {} },
  };
  const whole = {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: WHOLE_SYSTEM_MODULE },
    requires: [{ configs: [SYSTEM_MODULE, ...definitions.map((definition) => definition.name)] }],
  };
  return yamlFile(SKAFFOLD_FILE, [system, ...definitions.map(functionModule), whole]);
}
