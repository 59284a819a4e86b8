import { KONG_DIR, KONG_PRODUCTION_DIR } from './kong-deployment';

/** The skaffold module that deploys Kong: `skaffold run -m kong`. */
export const KONG_MODULE = 'kong';

/**
 * Kong with kong/kong.yml (kong-deployment.ts), after the system module (the namespace and its NetworkPolicies).
 * Nothing to build: the image is Kong's own. `-p local` serves HTTPS with Kong's generated certificate,
 * `-p production` with the `kong-tls` Secret, and kong.yml with the production token key (kong-production.ts). A
 * changed kong.yml is a new ConfigMap name, so the next `skaffold run` (or `skaffold dev`, which watches the
 * kustomization's files) rolls Kong.
 */
export function kongSkaffoldModule(apiVersion: string, systemModule: string): object {
  const deploying = (dir: string) => ({ manifests: { kustomize: { paths: [dir] } } });
  return {
    apiVersion,
    kind: 'Config',
    metadata: { name: KONG_MODULE },
    requires: [{ configs: [systemModule] }],
    ...deploying(KONG_DIR),
    deploy: { kubectl: {} },
    profiles: [
      { name: 'local', ...deploying(KONG_DIR) },
      {
        name: 'production',
        manifests: {
          kustomize: { paths: [KONG_PRODUCTION_DIR] },
          // kong.yml with the production overlay's token key, written afresh before every render.
          hooks: { before: [{ host: { command: ['npx', 'tsx', 'dev/deploy/kong-production.ts'] } }] },
        },
      },
    ],
  };
}
