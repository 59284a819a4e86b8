import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal';
import type { HttpReply } from './http-function';

/** How long a shared cache may keep an anonymous read: a price change reaches every shopper within this. */
export const PUBLIC_READ_MAX_AGE_S = 30;

/**
 * A 200 of a read that caches can keep and revalidate: a strong `ETag` of the body, and 304 with no body when the
 * request's `If-None-Match` names it. An anonymous answer is `public` for {@link PUBLIC_READ_MAX_AGE_S}; an answer to a
 * signed-in caller (who may see more, an admin drafts) keeps the runtime's `no-store`.
 */
export function cachedRead(
  request: { readonly headers: IncomingHttpHeaders; readonly principal: Principal | undefined },
  body: unknown,
): HttpReply {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  const headers: Record<string, string> = { etag };
  if (!request.principal) headers['cache-control'] = `public, max-age=${String(PUBLIC_READ_MAX_AGE_S)}`;
  return matches(request.headers['if-none-match'], etag)
    ? { status: 304, headers }
    : { status: 200, body, headers };
}

/** `If-None-Match: *`, or a list naming the tag (weak or strong: GET compares weakly, RFC 9110 13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
