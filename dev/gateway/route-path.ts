import { KongConfigError } from './kong-config';

/** One path of a route, compiled: what of a request path it matches, and how Kong ranks it. */
export interface PathMatcher {
  readonly regex: boolean;
  /** A prefix's length (Kong ranks longer prefixes first); 0 for a regex. */
  readonly prefixLength: number;
  /** The matched start of `path` (what strip_path removes), or undefined when it does not match. */
  readonly match: (path: string) => string | undefined;
}

/**
 * Compiles a route path as Kong 3 reads it: `~` starts a regex, which Kong anchors at the start of the path
 * (it prepends `^`, so `$` is the config's business); anything else is a plain string prefix (`/v1/users` also
 * matches `/v1/usersX`, as in Kong). JavaScript regexes stand in for PCRE, which agree on the patterns routes use.
 */
export function compilePath(path: string, routeLabel: string): PathMatcher {
  if (!path.startsWith('~')) {
    return { regex: false, prefixLength: path.length, match: (p) => (p.startsWith(path) ? path : undefined) };
  }
  const source = path.slice(1);
  let regex: RegExp;
  try {
    regex = new RegExp(source.startsWith('^') ? source : `^${source}`);
  } catch (error) {
    throw new KongConfigError(`route ${routeLabel}: path ${JSON.stringify(path)} is not a valid regex`, {
      cause: error,
    });
  }
  return { regex: true, prefixLength: 0, match: (p) => regex.exec(p)?.[0] };
}

/**
 * Kong's route priority (router/compat get_priority) as a tuple compared left to right, higher first: the number
 * of attributes matched on (methods, paths), regex paths before prefixes, then regex_priority for regexes or the
 * prefix length for prefixes; declaration order breaks what ties remain.
 */
export function priorityOf(
  route: { readonly methods?: readonly string[] | undefined; readonly regex_priority: number },
  path: PathMatcher | undefined,
): readonly number[] {
  const weight = (route.methods?.length ? 1 : 0) + (path ? 1 : 0);
  if (!path) return [weight, 0, 0, 0];
  return path.regex ? [weight, 1, route.regex_priority, 0] : [weight, 0, 0, path.prefixLength];
}

/** Orders priority tuples highest first. */
export function byPriority(a: readonly number[], b: readonly number[]): number {
  for (const [index, value] of a.entries()) {
    const other = b[index] ?? 0;
    if (value !== other) return other - value;
  }
  return 0;
}
