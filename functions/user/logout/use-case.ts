import { z } from 'zod';
import { hashRefreshToken } from '../../../shared/domain/user/refresh-token';
import type { Principal } from '../../../shared/domain/user/roles';
import type { RefreshTokenStore } from '../../../shared/domain/user/user-ports';

export const LogoutInput = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
export type LogoutInput = z.infer<typeof LogoutInput>;

/**
 * Ends the caller's session, the one their access token names (`sid`), and the session of the presented refresh
 * token when it is the caller's: each whole family is revoked, so the tokens, their predecessors and any successor
 * stop working, and the access tokens of those sessions are refused at once wherever sessions are checked. A
 * refresh token already rotated is reuse (RFC 9700 4.14.2): its live successor is in the same family and goes too,
 * as it would at refresh. Logging out twice, or with a refresh token that is not the caller's, ends only the
 * caller's own session and still succeeds: the caller learns nothing about other people's tokens.
 */
export async function logout(
  deps: { readonly refreshTokens: RefreshTokenStore; readonly now: () => Date },
  caller: Principal,
  input: LogoutInput,
): Promise<void> {
  const now = deps.now();
  await deps.refreshTokens.revokeFamily(caller.sessionId, now);
  const record = await deps.refreshTokens.findByHash(hashRefreshToken(input.refreshToken));
  if (record?.userId !== caller.userId || record.familyId === caller.sessionId) return;
  await deps.refreshTokens.revokeFamily(record.familyId, now);
}
