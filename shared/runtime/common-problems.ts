import type { HttpRoute } from './function-definition';

/** Problem codes by HTTP status. */
export type ProblemCodes = Readonly<Partial<Record<number, readonly string[]>>>;

/**
 * The problem codes a route can answer because of what it is, beside its own (`route.problems`): the runtime's
 * checks of the URL, the body and the schemas, of the caller's token on routes that read one, of the admin role, and
 * a store that cannot be reached. The contract check and the API documents read the same list.
 */
export function routeProblems(route: HttpRoute): ProblemCodes {
  const codes = new Map<number, Set<string>>();
  const add = (status: number, ...list: readonly string[]) => {
    const set = codes.get(status) ?? new Set<string>();
    for (const code of list) set.add(code);
    codes.set(status, set);
  };
  add(400, 'REQUEST.MALFORMED_URL');
  // Request headers are the route's own to check (and to list): the runtime validates only these three.
  if (route.params || route.query || route.body) add(400, 'REQUEST.INVALID');
  if (route.body) {
    add(400, 'REQUEST.MALFORMED_JSON');
    add(413, 'REQUEST.TOO_LARGE');
  }
  // A route that reads its caller refuses a bad token; on a public one, an Authorization header that is not a
  // bearer token counts as a missing one.
  if (route.auth !== 'public' || route.readsCaller) {
    add(401, 'AUTH.INVALID_TOKEN', 'AUTH.MISSING_TOKEN', 'AUTH.SESSION_ENDED', 'AUTH.TOKEN_EXPIRED');
  }
  if (route.auth === 'admin') add(403, 'AUTH.FORBIDDEN');
  add(503, 'SERVICE.UNAVAILABLE');
  for (const [status, list] of Object.entries(route.problems ?? {})) add(Number(status), ...list);
  return Object.fromEntries([...codes].map(([status, set]) => [status, [...set].sort()]));
}
