import type { HttpRoute } from './function-definition';
import type { Problem } from './http-problem';
import { routeProblems } from './common-problems';

/** An answer the route's documented contract does not describe: a bug of the route or of its declaration. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

const routeName = (route: HttpRoute) => `${route.method} ${route.path}`;

/**
 * What is wrong with a success answer, measured against the route's `responses`: a status it does not document, or
 * a body that does not match the documented schema (checked as the client reads it, after JSON). Undefined when it
 * matches.
 */
export function replyViolation(
  route: HttpRoute,
  reply: { readonly status: number; readonly body?: unknown },
): string | undefined {
  const documented = route.responses[reply.status as keyof HttpRoute['responses']];
  if (!documented) return `${routeName(route)} answered ${String(reply.status)}, which it does not document`;
  if (!documented.body) {
    return reply.body === undefined
      ? undefined
      : `${routeName(route)} answered ${String(reply.status)} with a body it does not document`;
  }
  const parsed = documented.body.safeParse(JSON.parse(JSON.stringify(reply.body ?? null)) as unknown);
  if (parsed.success) return undefined;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return `${routeName(route)} answered a ${String(reply.status)} body that does not match its schema: ${issues.join('; ')}`;
}

/** A 4xx problem whose code the route does not document for that status. 5xx answers are never documented ones. */
export function problemViolation(route: HttpRoute, problem: Problem): string | undefined {
  if (problem.status >= 500) return undefined;
  if (routeProblems(route)[problem.status]?.includes(problem.code)) return undefined;
  return `${routeName(route)} answered ${String(problem.status)} ${problem.code}, which it does not document`;
}
