import type { FunctionDefinition } from './function-definition';

/**
 * The `config` of a function definition, derived from the zod schemas the function parses its environment with,
 * so the deployment files can never miss a variable the code reads. `secrets` come from the service's Secret,
 * everything else from its ConfigMap; LOG_LEVEL is the logger's.
 */
export function configOf(
  schemas: readonly { readonly shape: Readonly<Record<string, unknown>> }[],
  secrets: readonly string[],
): FunctionDefinition['config'] {
  const names = new Set(['LOG_LEVEL', ...schemas.flatMap((schema) => Object.keys(schema.shape))]);
  for (const secret of secrets) {
    if (!names.has(secret)) throw new Error(`configOf: ${secret} is not read by any of the schemas`);
  }
  return {
    env: [...names].filter((name) => !secrets.includes(name)).sort(),
    secrets: [...secrets].sort(),
  };
}
