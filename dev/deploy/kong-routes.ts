import type { HttpRoute } from '../../shared/runtime/function-definition';

const segmentsOf = (path: string): string[] => path.split('/').filter(Boolean);
const isParameter = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A route's path as a Kong regex path. Kong matches plain paths as prefixes, so every path is a regex anchored at
 * its end, with each `{param}` one segment: `/v1/users/{id}/role` -> `~/v1/users/[^/]+/role$`.
 */
export function kongPath(path: string): string {
  const pattern = segmentsOf(path)
    .map((segment) => (isParameter(segment) ? '[^/]+' : escapeRegex(segment)))
    .join('/');
  return `~/${pattern}$`;
}

/**
 * Kong tries regex paths by descending regex_priority. Two paths can only both match when they have as many
 * segments, so counting literal segments puts `/v1/users/me` before `/v1/users/{id}`.
 */
export function regexPriority(path: string): number {
  return segmentsOf(path).filter((segment) => !isParameter(segment)).length;
}

/** `login` + `POST /v1/auth/login` -> `login-post-v1-auth-login`; `{id}` -> `id`. */
export function kongRouteName(fn: string, route: HttpRoute): string {
  const slug = segmentsOf(route.path)
    .map((segment) => segment.replace(/[{}]/g, ''))
    .join('-');
  return `${fn}-${route.method.toLowerCase()}-${slug}`;
}
