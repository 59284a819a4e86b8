// Renders the committed config templates (kafka/server.properties, cassandra/cassandra.yaml) into the data
// folder, so ports and paths come from infra-env.ts while the files stay readable in the repository.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Replaces each ${name} in template with values[name]; an unknown name is a bug, not an empty string. */
export function renderTemplate(
  template: string,
  target: string,
  values: Readonly<Record<string, string | number>>,
) {
  const text = readFileSync(template, 'utf8').replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${template}: no value for \${${name}}`);
    return String(value);
  });
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
}
