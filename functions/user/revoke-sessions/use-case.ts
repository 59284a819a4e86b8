import { z } from 'zod';
import type { RefreshTokenStore, UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';

export const RevokeSessionsParams = z.object({ id: z.uuid() });
export type RevokeSessionsParams = z.infer<typeof RevokeSessionsParams>;

/**
 * An admin ends every session of a user: all their refresh tokens are revoked, so no refresh works any more and
 * their access tokens are refused at once wherever sessions are checked (the user service, admin-only routes
 * everywhere; other services' customer routes within the token's 5 minutes). The user can sign in again; to keep
 * them out, change their password too. Revoking twice is harmless.
 */
export async function revokeSessions(
  deps: {
    readonly users: UserRepository;
    readonly refreshTokens: RefreshTokenStore;
    readonly now: () => Date;
  },
  userId: string,
): Promise<void> {
  if (!(await deps.users.findById(userId)))
    throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');
  await deps.refreshTokens.revokeUser(userId, deps.now());
}
