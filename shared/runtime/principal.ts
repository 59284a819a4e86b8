import type { Principal } from '../domain/user/roles';
import type { AuthLevel } from './function-definition';

export type { Principal } from '../domain/user/roles';

/**
 * Turns an `Authorization` header value into a principal, or throws an AppError of kind `unauthenticated`, for a
 * route or method of `level` (where the session is confirmed depends on it: shared/auth/session-check.ts).
 * `authorizationVerifier` in shared/auth builds the token check from the JWT config.
 */
export type AuthorizationVerifier = (
  authorization: string | undefined,
  level: Exclude<AuthLevel, 'public'>,
) => Principal | Promise<Principal>;
