import { createPlugin, type PluginEnvironment } from './create-plugin';
import type { GatewayPlugin } from './gateway-plugin';
import { KongConfigError, type KongConfig, type PluginDeclaration } from './kong-config';

/** Plugin instances by name within one scope (global, a service, a route). */
export type PluginScope = ReadonlyMap<string, GatewayPlugin>;

/**
 * Builds one scope's instances. One instance per declaration is what makes a rate limit count per route, per
 * service or globally as Kong's does; Kong allows one plugin of a name per scope, so a second is an error.
 */
export function pluginScope(
  declarations: readonly PluginDeclaration[],
  environment: PluginEnvironment,
  label: string,
): PluginScope {
  const scope = new Map<string, GatewayPlugin>();
  for (const declaration of declarations) {
    if (!declaration.enabled) continue;
    if (scope.has(declaration.name)) {
      throw new KongConfigError(`${label} has the plugin ${declaration.name} twice`);
    }
    scope.set(declaration.name, createPlugin(declaration, environment));
  }
  return scope;
}

/** Top-level plugins split by the scope they name: `route`, else `service`, else global. */
export function topLevelPlugins(config: KongConfig) {
  const global: PluginDeclaration[] = [];
  const byService = new Map<string, PluginDeclaration[]>();
  const byRoute = new Map<string, PluginDeclaration[]>();
  const add = (map: Map<string, PluginDeclaration[]>, key: string, plugin: PluginDeclaration) => {
    map.set(key, [...(map.get(key) ?? []), plugin]);
  };
  for (const plugin of config.plugins) {
    if (plugin.route !== undefined) add(byRoute, plugin.route, plugin);
    else if (plugin.service !== undefined) add(byService, plugin.service, plugin);
    else global.push(plugin);
  }
  return { global, byService, byRoute };
}

/** The plugins in effect on a route: global, then service, then route, the narrower winning per name (Kong). */
export function pluginsInEffect(scopes: readonly PluginScope[]): readonly GatewayPlugin[] {
  const byName = new Map<string, GatewayPlugin>();
  for (const scope of scopes) for (const [name, plugin] of scope) byName.set(name, plugin);
  return [...byName.values()].sort((a, b) => b.priority - a.priority);
}
