import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { KongConsumer } from './kong-consumer';
import { KongService } from './kong-entities';
import { PluginDeclaration } from './plugin-declaration';

export type { KongConsumer, KongJwtSecret } from './kong-consumer';
export type { KongRoute, KongService } from './kong-entities';
export type { PluginDeclaration } from './plugin-declaration';

/** Thrown when kong.yml is not YAML, or holds something the dev gateway cannot serve as Kong would. */
export class KongConfigError extends Error {
  override readonly name = 'KongConfigError';
}

/**
 * The subset of Kong's declarative config 3.0 the dev gateway serves: services with nested routes and plugins,
 * consumers with jwt secrets, global plugins. Top-level routes, upstreams, certificates and the rest are refused
 * by name (strict objects), so a kong.yml that relies on them fails here instead of being served differently.
 */
export const KongConfig = z.strictObject({
  // 3.0 is the format where `~` marks a regex path; older formats guessed regexes from their characters.
  _format_version: z.literal('3.0', {
    error: 'must be "3.0" (the dev gateway reads Kong 3 declarative config)',
  }),
  _transform: z.boolean().optional(),
  _info: z.unknown().optional(),
  services: z.array(KongService).default([]),
  consumers: z.array(KongConsumer).default([]),
  plugins: z.array(PluginDeclaration).default([]),
});
export type KongConfig = z.infer<typeof KongConfig>;

/**
 * Parses and validates kong.yml text. `source` names it in errors (a path, or "inline").
 *
 * @throws KongConfigError listing each problem with its place in the document, e.g. `services.0.routes.1.hosts`.
 */
export function parseKongConfig(text: string, source = 'kong.yml'): KongConfig {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new KongConfigError(`${source} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = KongConfig.safeParse(document);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new KongConfigError(`${source} cannot be served by the dev gateway:\n${problems.join('\n')}`);
}

/** Reads and parses kong.yml from a file. @throws KongConfigError, or the file system's error when unreadable. */
export async function loadKongConfig(path: string): Promise<KongConfig> {
  return parseKongConfig(await readFile(path, 'utf8'), path);
}
