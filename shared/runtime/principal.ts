/** Who is calling: the verified subject and role of an access token. */
export interface Principal {
  readonly userId: string;
  readonly role: 'customer' | 'admin';
}

/**
 * Turns an `Authorization` header value into a principal, or throws an AppError of kind `unauthenticated`.
 * The JWT verifier in shared/auth implements it; the runtime only needs this shape.
 */
export type AuthorizationVerifier = (authorization: string | undefined) => Principal | Promise<Principal>;
