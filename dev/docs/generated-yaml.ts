import { stringify } from 'yaml';
import type { GeneratedFile } from '../deploy/yaml-file';

/**
 * A generated YAML document under its "do not edit" comment, written as the deployment files are (yaml-file.ts):
 * keys in the order built, long strings never folded, YAML 1.1-safe quoting, so the output is stable.
 */
export function generatedYaml(path: string, header: string, document: object): GeneratedFile {
  const body = stringify(document, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
  return { path, content: `${header}\n${body}` };
}
