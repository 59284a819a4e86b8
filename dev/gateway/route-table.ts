import type { GatewayTracing } from './plugins/opentelemetry';
import type {
  BodyFilter,
  GatewayPlugin,
  HeaderFilter,
  RequestContext,
  ResponseFilters,
} from './gateway-plugin';
import { KongConfigError, type KongConfig, type KongRoute, type KongService } from './kong-config';
import { jwtCredentialLookup } from './plugins/jwt-credentials';
import { sharedDictionaries } from './plugins/proxy-cache';
import { byPriority, compilePath, priorityOf, type PathMatcher } from './route-path';
import { pluginScope, pluginsInEffect, topLevelPlugins } from './scoped-plugins';
import { isGrpc, type GrpcRoute } from './service-target';

/** A request's route: its service and route, the start of the path it matched, and the plugins to run in order. */
export interface MatchedRoute {
  readonly service: KongService;
  readonly route: KongRoute;
  readonly routeLabel: string;
  readonly matchedPath: string;
  readonly plugins: readonly GatewayPlugin[];
  /** The `header_filter` phases of those plugins (GatewayPlugin.headerFilter), in priority order. */
  readonly headerFilters: readonly HeaderFilter[];
  /** Their `body_filter` phases (GatewayPlugin.bodyFilter), in priority order. */
  readonly bodyFilters: readonly BodyFilter[];
}

/**
 * The filters of an answer: the header filters the plugins that ran registered in `access`, then the `header_filter`
 * phases of every plugin of the route, whether or not its `access` ran (Kong collects a route's plugins whole, so
 * a plugin after the one that exited still filters the exit's headers); then the route's `body_filter` phases.
 */
export const filtersOf = (
  ctx: Pick<RequestContext, 'headerFilters'>,
  matched: MatchedRoute,
): ResponseFilters => ({
  headers: [...ctx.headerFilters, ...matched.headerFilters],
  bodies: matched.bodyFilters,
});

/** What a request is to Kong's router: a gRPC call (HTTP/2, `application/grpc`) matches gRPC routes only. */
export type RouteProtocol = 'http' | 'grpc';

/** The routes of kong.yml, ranked as Kong ranks them. */
export interface RouteTable {
  /** The best route of the protocol for a method and path (no query), or undefined: Kong's "no Route matched". */
  readonly match: (method: string, path: string, protocol?: RouteProtocol) => MatchedRoute | undefined;
  readonly httpRoutes: number;
  readonly grpcRoutes: readonly GrpcRoute[];
  /** The global plugins' `header_filter` and `body_filter` phases: Kong runs them on its "no Route matched" too. */
  readonly globalFilters: ResponseFilters;
}

/** The `header_filter` phases of plugins already in priority order. */
const headerFiltersOf = (plugins: readonly GatewayPlugin[]): readonly HeaderFilter[] =>
  plugins.flatMap((plugin) => (plugin.headerFilter ? [plugin.headerFilter] : []));

/** The `body_filter` phases of plugins already in priority order. */
const bodyFiltersOf = (plugins: readonly GatewayPlugin[]): readonly BodyFilter[] =>
  plugins.flatMap((plugin) => (plugin.bodyFilter ? [plugin.bodyFilter] : []));

interface Candidate {
  readonly protocol: RouteProtocol;
  readonly methods: ReadonlySet<string> | undefined;
  readonly path: PathMatcher | undefined;
  readonly priority: readonly number[];
  readonly target: Omit<MatchedRoute, 'matchedPath'>;
}

/**
 * Builds the route table and every plugin instance. Each route path is ranked on its own, as Kong's router
 * splits routes by path. Routes of disabled services are left out, as Kong leaves them out.
 *
 * @throws KongConfigError for duplicate names, a bad regex, or a plugin scoped to an unknown service or route.
 */
export function buildRouteTable(config: KongConfig, tracing?: GatewayTracing): RouteTable {
  const environment = {
    jwtCredentials: jwtCredentialLookup(config.consumers),
    tracing,
    dictionaries: sharedDictionaries(),
  };
  const top = topLevelPlugins(config);
  const global = pluginScope(top.global, environment, 'the global scope');
  const candidates: Candidate[] = [];
  const grpcRoutes: GrpcRoute[] = [];
  const seen = new Set<string>();
  const claim = (kind: string, name: string | undefined) => {
    if (name === undefined) return;
    if (seen.has(`${kind}:${name}`)) throw new KongConfigError(`two ${kind}s are named ${name}`);
    seen.add(`${kind}:${name}`);
  };
  for (const service of config.services) {
    claim('service', service.name);
    if (!service.enabled) continue;
    const serviceDeclarations = [...service.plugins, ...(top.byService.get(service.name) ?? [])];
    const serviceScope = pluginScope(serviceDeclarations, environment, `service ${service.name}`);
    for (const [index, route] of service.routes.entries()) {
      claim('route', route.name);
      const routeLabel = route.name ?? `${service.name}#${index}`;
      const protocol = isGrpc(service, route) ? 'grpc' : 'http';
      if (protocol === 'grpc') {
        grpcRoutes.push({ service: service.name, route: routeLabel, paths: route.paths ?? [] });
      }
      const routeDeclarations = [
        ...route.plugins,
        ...(route.name ? (top.byRoute.get(route.name) ?? []) : []),
      ];
      const routeScope = pluginScope(routeDeclarations, environment, `route ${routeLabel}`);
      const plugins = pluginsInEffect([global, serviceScope, routeScope]);
      const target = {
        service,
        route,
        routeLabel,
        plugins,
        headerFilters: headerFiltersOf(plugins),
        bodyFilters: bodyFiltersOf(plugins),
      };
      const methods = route.methods ? new Set(route.methods) : undefined;
      const paths = route.paths?.length
        ? route.paths.map((path) => compilePath(path, routeLabel))
        : [undefined];
      for (const path of paths) {
        candidates.push({ protocol, methods, path, priority: priorityOf(route, path), target });
      }
    }
  }
  for (const name of [...top.byService.keys(), ...top.byRoute.keys()]) {
    if (!seen.has(`service:${name}`) && !seen.has(`route:${name}`)) {
      throw new KongConfigError(`a top-level plugin is scoped to ${name}, which is no service or route`);
    }
  }
  // Array.prototype.sort is stable: equal priorities keep kong.yml's order.
  candidates.sort((a, b) => byPriority(a.priority, b.priority));
  const globalPlugins = pluginsInEffect([global]);
  return {
    httpRoutes: candidates.filter((candidate) => candidate.protocol === 'http').length,
    grpcRoutes,
    globalFilters: { headers: headerFiltersOf(globalPlugins), bodies: bodyFiltersOf(globalPlugins) },
    match(method, path, protocol = 'http') {
      for (const candidate of candidates) {
        if (candidate.protocol !== protocol) continue;
        if (candidate.methods && !candidate.methods.has(method)) continue;
        const matchedPath = candidate.path ? candidate.path.match(path) : '';
        if (matchedPath !== undefined) return { ...candidate.target, matchedPath };
      }
      return undefined;
    },
  };
}
