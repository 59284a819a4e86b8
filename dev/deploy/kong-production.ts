// `npx tsx dev/deploy/kong-production.ts`: writes kubernetes/kong/production/kong.yml, the production Kong's
// kong.yml, with the token public key of the production overlay (knative/overlays/production/jwt-public.pem) in
// place of the committed development key. skaffold's production profile runs it before it renders Kong; run it
// yourself before `kubectl apply -k kubernetes/kong/production`. Derived from the key each time: do not commit it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KONG_PRODUCTION_CONFIG_FILE, KONG_PRODUCTION_DIR } from './kong-deployment';
import { loadDefinitions, renderAll } from './render-all';
import { KONG_FILE } from './render-kong';
import { overlayDir, PRODUCTION_PUBLIC_KEY_FILE } from './render-overlays';

/** The production Kong's kong.yml, by its path from the project root. */
export const KONG_PRODUCTION_CONFIG = `${KONG_PRODUCTION_DIR}/${KONG_PRODUCTION_CONFIG_FILE}`;

/**
 * Renders kong.yml with the production overlay's public key and writes it where the production Kustomization
 * reads it. Without the key file nothing is written, and kustomize then fails for want of kong.yml: a production
 * Kong never starts with the development key.
 *
 * @throws Error naming the missing key file, or the key's problem (not an EC P-256 public key).
 */
export function writeProductionKongConfig(root: string): string {
  const keyFile = path.join(root, overlayDir('production'), PRODUCTION_PUBLIC_KEY_FILE);
  if (!existsSync(keyFile)) {
    throw new Error(
      `${path.relative(root, keyFile)} is missing: put the token public key there (docs/deploy.md)`,
    );
  }
  const jwtPublicKeyPem = readFileSync(keyFile, 'utf8');
  const kong = renderAll(loadDefinitions(), { jwtPublicKeyPem }).find((file) => file.path === KONG_FILE);
  if (!kong) throw new Error(`${KONG_FILE} is not rendered`);
  const target = path.join(root, KONG_PRODUCTION_CONFIG);
  writeFileSync(target, kong.content);
  return target;
}

if (require.main === module) {
  try {
    console.log(`wrote ${writeProductionKongConfig(path.resolve(__dirname, '../..'))}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
