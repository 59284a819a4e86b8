import { yamlFile, type GeneratedFile } from './yaml-file';

/**
 * `<dir>/Kustomization`: kustomize reads this name as readily as kustomization.yaml, and the manifest validator,
 * which checks every *.yaml under knative/ against the Kubernetes and Knative schemas, leaves it to kustomize.
 */
export function kustomization(dir: string, content: object): GeneratedFile {
  return yamlFile(`${dir}/Kustomization`, [
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...content },
  ]);
}
