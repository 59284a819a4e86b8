import { AppError } from '../errors/app-error';

// RFC 6750, section 2.1: `Bearer` (case-insensitive, RFC 9110 auth-scheme), then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header value.
 *
 * @throws AppError('unauthenticated', 'AUTH.MISSING_TOKEN') when the header is absent or not a bearer token.
 */
export function bearerToken(authorization: string | undefined): string {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined) {
    throw new AppError(
      'unauthenticated',
      'AUTH.MISSING_TOKEN',
      'Send an access token in the Authorization header: Bearer <token>.',
    );
  }
  return token;
}
