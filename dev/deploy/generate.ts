// `npm run generate`: writes knative/ (the kustomize base and its overlays), kong/kong.yml and skaffold.yaml from
// functions/*/*/function.ts, the API documents under docs/ (and the e2e client's types from docs/openapi.yaml),
// deletes generated knative/ files nothing renders any more, and renders proto/generated/
// (the TypeScript types of the .proto files, dev/proto-types.ts). JWT_PUBLIC_KEY (PEM) sets the key Kong and the
// base's ConfigMaps carry; without it the committed dev key is used. The production overlay replaces it with the
// operator's key (knative/overlays/production/jwt-public.pem); Kong needs the real key rendered in (do not commit).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_HEADER } from './deploy-settings';
import { GENERATED_DIR, renderProtoTypes } from '../proto-types';
import { loadDefinitions, renderAll } from './render-all';
import { OPENAPI_FILE } from '../docs/render-openapi';
import { renderOpenApiTypes } from '../docs/render-openapi-types';

const root = path.resolve(__dirname, '../..');

/** Renders every generated file, writes those that changed and deletes stale ones; says what it did. */
export async function generate(): Promise<void> {
  const files = renderAll(loadDefinitions(), { jwtPublicKeyPem: process.env['JWT_PUBLIC_KEY'] });
  const written = new Set(files.map((file) => file.path));
  const openapi = files.find((file) => file.path === OPENAPI_FILE);
  if (openapi) files.push(await renderOpenApiTypes(openapi.content));
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
    console.log(
      'note: the dev JWT public key is in kong/kong.yml and the base ConfigMaps (the production overlay takes yours); see docs/deploy.md',
    );
  }
}

/**
 * Generated files anywhere in knative/ that nothing renders any more (a removed or renamed function, a file from
 * before the base moved to knative/base). Hand-written files there (the operator's jwt-public.pem) are kept.
 */
export function staleKnativeFiles(written: ReadonlySet<string>): string[] {
  const dir = path.join(root, 'knative');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !written.has(file))
    .filter((file) => readFileSync(path.join(root, file), 'utf8').startsWith(GENERATED_HEADER));
}

if (require.main === module) {
  generate().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
