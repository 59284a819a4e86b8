import { QueryTypes, type Sequelize } from 'sequelize';
import { Role } from '../../shared/domain/user/roles';
import type { SessionLookup } from '../../shared/auth/session-check';

// One indexed read (refresh_tokens_family, then the users primary key): a session is live while its family holds a
// token that is neither revoked nor expired; logout, a password change, revocation and reuse revoke them all.
const LIVE_SESSION = `
  SELECT u.role AS role
  FROM refresh_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.family_id = :sessionId AND t.user_id = :userId AND t.revoked_at IS NULL AND t.expires_at > :now
  LIMIT 1`;

/** The user service's own session check: every one of its routes confirms the caller's session here. */
export function sqlSessionLookup(sequelize: Sequelize, now: () => Date = () => new Date()): SessionLookup {
  return async ({ principal }) => {
    const row = await sequelize.query<{ role: string }>(LIVE_SESSION, {
      replacements: { sessionId: principal.sessionId, userId: principal.userId, now: now() },
      type: QueryTypes.SELECT,
      plain: true,
    });
    return row === null ? undefined : { role: Role.parse(row.role) };
  };
}
