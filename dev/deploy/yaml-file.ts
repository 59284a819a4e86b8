import { stringify } from 'yaml';
import { GENERATED_HEADER } from './deploy-settings';

/** A file the generator writes, by its path from the project root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * One YAML file of one or more documents, headed by the "generated" comment. Keys keep the order the renderers
 * build them in and long strings are never folded, so the output is stable and diffs stay readable. Written as YAML
 * 1.1, the version Kubernetes' own parser reads: a string such as `off` or `yes` is quoted, never read back as a
 * boolean (KONG_DATABASE=off would be `false`, which an env value cannot be).
 */
export function yamlFile(path: string, documents: readonly object[]): GeneratedFile {
  const body = documents
    .map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' }))
    .join('---\n');
  return { path, content: `${GENERATED_HEADER}\n${body}` };
}
