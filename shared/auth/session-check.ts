import { AppError } from '../errors/app-error';
import type { Principal, Role } from '../domain/user/roles';
import type { AuthLevel } from '../runtime/function-definition';
import type { AuthorizationVerifier } from '../runtime/principal';

/** A caller whose access token has been verified, with the header it came in (a remote check forwards it). */
export interface VerifiedCaller {
  readonly principal: Principal;
  readonly authorization: string;
}

/**
 * The caller's standing as the user service knows it now: their current role, or undefined when the token's
 * session has ended (logout, a password change, an admin's revocation, refresh-token reuse) or the user is gone.
 */
export type SessionLookup = (caller: VerifiedCaller) => Promise<{ readonly role: Role } | undefined>;

export function sessionEnded(): AppError {
  return new AppError('unauthenticated', 'AUTH.SESSION_ENDED', 'The session has ended. Sign in again.');
}

/**
 * A verifier that checks the token, then, on routes of the levels in `checkAt`, confirms the session with `lookup`
 * and answers with the caller's current role, so a logout ends the token at once and a demoted admin is refused on
 * the next admin request. Routes of other levels trust the token until it expires (5 minutes).
 */
export function sessionCheckedVerifier(
  verifyToken: (authorization: string | undefined) => Principal,
  lookup: SessionLookup,
  checkAt: readonly Exclude<AuthLevel, 'public'>[],
): AuthorizationVerifier {
  return async (authorization, level) => {
    const principal = verifyToken(authorization);
    if (!checkAt.includes(level)) return principal;
    // verifyToken refused a missing header, so one is here.
    const current = await lookup({ principal, authorization: authorization ?? '' });
    if (current === undefined) throw sessionEnded();
    return { ...principal, role: current.role };
  };
}
