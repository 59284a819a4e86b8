import { stringify } from 'yaml';
import { GENERATED_HEADER } from './deploy-settings';

/** A file the generator writes, by its path from the project root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * One YAML file of one or more documents, headed by the "generated" comment. Keys keep the order the renderers
 * build them in and long strings are never folded, so the output is stable and diffs stay readable.
 */
export function yamlFile(path: string, documents: readonly object[]): GeneratedFile {
  const body = documents
    .map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
  return { path, content: `${GENERATED_HEADER}\n${body}` };
}
