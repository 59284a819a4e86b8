import type { Principal } from '../domain/user/roles';

export type { Principal } from '../domain/user/roles';

/**
 * Turns an `Authorization` header value into a principal, or throws an AppError of kind `unauthenticated`.
 * `authorizationVerifier` in shared/auth builds the real one from the JWT config.
 */
export type AuthorizationVerifier = (authorization: string | undefined) => Principal | Promise<Principal>;
