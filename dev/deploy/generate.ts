// `npm run generate`: writes knative/*.yaml, kong/kong.yml and skaffold.yaml from functions/*/*/function.ts,
// deletes generated knative/ files no function renders any more, and renders proto/generated/ (the TypeScript
// types of the .proto files, dev/proto-types.ts). JWT_PUBLIC_KEY (PEM) sets the key Kong
// and the functions check tokens with; without it the committed dev key is used (the functions refuse it when
// NODE_ENV=production, so regenerate with the real key before deploying, and do not commit that).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_HEADER } from './deploy-settings';
import { GENERATED_DIR, renderProtoTypes } from '../proto-types';
import { loadDefinitions, renderAll } from './render-all';

const root = path.resolve(__dirname, '../..');

/** Renders every generated file, writes those that changed and deletes stale ones; says what it did. */
export async function generate(): Promise<void> {
  const files = renderAll(loadDefinitions(), { jwtPublicKeyPem: process.env['JWT_PUBLIC_KEY'] });
  const written = new Set(files.map((file) => file.path));
  for (const file of files) {
    const target = path.join(root, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    const changed = !existsSync(target) || readFileSync(target, 'utf8') !== file.content;
    if (changed) writeFileSync(target, file.content);
    console.log(`${changed ? 'wrote    ' : 'unchanged'} ${file.path}`);
  }
  for (const stale of staleKnativeFiles(written)) {
    rmSync(path.join(root, stale));
    console.log(`deleted   ${stale}`);
  }
  await renderProtoTypes(GENERATED_DIR);
  console.log('rendered  proto/generated/');
  if (!process.env['JWT_PUBLIC_KEY']) {
    console.log('note: the dev JWT public key is in kong/kong.yml and the ConfigMaps; see docs/deploy.md');
  }
}

/** Generated YAML files in knative/ that no function renders any more (a removed or renamed function). */
export function staleKnativeFiles(written: ReadonlySet<string>): string[] {
  const dir = path.join(root, 'knative');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => `knative/${name}`)
    .filter((file) => !written.has(file))
    .filter((file) => readFileSync(path.join(root, file), 'utf8').startsWith(GENERATED_HEADER));
}

if (require.main === module) {
  generate().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
