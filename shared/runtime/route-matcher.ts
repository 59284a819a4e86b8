import type { HttpMethod } from './function-definition';

/** A compiled route path: `/v1/users/{id}` matches `/v1/users/42` with `{ id: '42' }`. */
export interface PathPattern {
  match(path: string): Record<string, string> | undefined;
}

export function compilePath(template: string): PathPattern {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  const regex = new RegExp(`^${source}/?$`);
  return {
    match(path) {
      const found = regex.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(found[i + 1] ?? '');
        });
      } catch {
        return undefined; // a malformed %-escape names no resource of ours
      }
      return params;
    },
  };
}

/** The routes of one function, matched by path first so a known path with another method answers 405. */
export function matchRoute<
  R extends { readonly route: { readonly method: HttpMethod; readonly path: string } },
>(
  routes: readonly (R & { readonly pattern: PathPattern })[],
  method: string,
  path: string,
): { found: R; params: Record<string, string> } | { allowed: HttpMethod[] } {
  const allowed: HttpMethod[] = [];
  for (const candidate of routes) {
    const params = candidate.pattern.match(path);
    if (!params) continue;
    if (candidate.route.method === method) return { found: candidate, params };
    allowed.push(candidate.route.method);
  }
  return { allowed };
}
