import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_JWT_PUBLIC_KEY_PEM } from '../../shared/auth/dev-keys';
import { EcP256PublicKey } from '../../shared/auth/ec-key';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { functionDefinition, functionFolders } from '../build';
import { renderAsyncApi } from '../docs/render-asyncapi';
import { renderGrpcReference } from '../docs/render-grpc-reference';
import { renderOpenApi } from '../docs/render-openapi';
import { renderKnative } from './render-knative';
import { renderKong } from './render-kong';
import { renderKongDeployment } from './kong-deployment';
import { renderMigrationJobs } from './migration-job';
import { renderOverlays } from './render-overlays';
import { renderSkaffold } from './render-skaffold';
import type { GeneratedFile } from './yaml-file';

export interface RenderOptions {
  /** The ES256 public key (PEM) Kong and the functions check tokens with. Default: the committed dev key. */
  readonly jwtPublicKeyPem?: string;
}

/** The image tag of a release: the package's version. */
function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return version;
}

/** Every function's declaration, by name. */
export function loadDefinitions(): FunctionDefinition[] {
  return functionFolders()
    .map((folder) => functionDefinition(folder))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Checks the key is an EC P-256 public key and spells it the one canonical way (SPKI PEM). */
function canonicalPublicKey(pem: string): string {
  const parsed = EcP256PublicKey.safeParse(pem);
  if (!parsed.success) {
    throw new Error(`JWT_PUBLIC_KEY ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.data.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * knative/ (base and overlays), kong/kong.yml with Kong's manifests, skaffold.yaml, and the API documents under docs/
 * (OpenAPI, AsyncAPI, the gRPC reference), by path, in a stable order. The CLI and the test share it.
 */
export function renderAll(
  definitions: readonly FunctionDefinition[],
  options: RenderOptions = {},
): GeneratedFile[] {
  const jwtPublicKeyPem = canonicalPublicKey(options.jwtPublicKeyPem ?? DEV_JWT_PUBLIC_KEY_PEM);
  return [
    ...renderKnative(definitions, { jwtPublicKeyPem }),
    ...renderMigrationJobs(definitions),
    ...renderOverlays(definitions, packageVersion()),
    renderKong(definitions, { jwtPublicKeyPem }),
    ...renderKongDeployment(),
    renderSkaffold(definitions),
    renderOpenApi(definitions, packageVersion()),
    renderAsyncApi(definitions, packageVersion()),
    renderGrpcReference(definitions),
  ].sort((a, b) => a.path.localeCompare(b.path));
}
