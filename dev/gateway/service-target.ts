import type { KongRoute, KongService } from './kong-config';

/** A gRPC route of kong.yml, as the gateway lists it when it starts. */
export interface GrpcRoute {
  readonly service: string;
  readonly route: string;
  readonly paths: readonly string[];
}

function serviceProtocol(service: KongService): string {
  return service.url === undefined
    ? (service.protocol ?? 'http')
    : new URL(service.url).protocol.slice(0, -1);
}

/** Whether a route carries gRPC (its protocols, or its service's): HTTP/2 end to end, to a sidecar. */
export function isGrpc(service: KongService, route: KongRoute): boolean {
  const grpc = (protocol: string) => protocol === 'grpc' || protocol === 'grpcs';
  return route.protocols.every(grpc) || grpc(serviceProtocol(service));
}

/** The service's own path (`url`'s path or `path`), which Kong puts before the request path. */
function servicePath(service: KongService): string {
  if (service.url !== undefined) return new URL(service.url).pathname;
  return service.path ?? '/';
}

/**
 * The path and query the upstream gets, as Kong builds it: with strip_path the matched start of the path is
 * removed, and what remains goes after the service's path, with one slash between them (path_handling v0 and
 * v1 differ only in corner cases of trailing slashes, not reproduced). strip_path false
 * (what our kong.yml uses) with no service path sends the request's path unchanged.
 */
export function upstreamPath(
  service: KongService,
  route: KongRoute,
  request: { readonly path: string; readonly search: string; readonly matchedPath: string },
): string {
  const base = servicePath(service);
  let rest = route.strip_path ? request.path.slice(request.matchedPath.length) : request.path;
  // Stripping the whole path leaves the service path alone: Kong adds no trailing slash.
  if (rest === '') return base + request.search;
  if (!rest.startsWith('/')) rest = `/${rest}`;
  const joined = base === '/' ? rest : base.endsWith('/') ? base + rest.slice(1) : base + rest;
  return joined + request.search;
}
