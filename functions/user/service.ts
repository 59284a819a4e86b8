import { defineService } from '../../shared/kit/service-declaration';
import { USER_MIGRATIONS } from './user-migrations';

/** The user service: accounts, roles and sessions, in its own database. */
export const userService = defineService({
  name: 'user',
  migrations: USER_MIGRATIONS,
  histories: [],
  // Loaded on the first authenticated request, so declaring the service (every function.ts) loads no driver.
  sessions: (database) => async (caller) => {
    const { sqlSessionLookup } = await import('./sql-session-lookup');
    return sqlSessionLookup((await database()).sequelize)(caller);
  },
  expiring: [
    // Kept 30 days past its expiry: shown again after its rotation in that time, a token still revokes its session (a
    // reuse, refresh-rotation.ts); later it is merely unknown. Either way it refreshes nothing.
    { table: 'refresh_tokens', column: 'expires_at', days: 30 },
    // Failures are forgotten after FAILURE_WINDOW_MS and a wait lasts MAX_DELAY_MS at most (15 minutes each): a day
    // later the row counts for nothing. Deleted, an e-mail address tried once leaves nothing behind.
    { table: 'password_throttle', column: 'last_failure_at', days: 1 },
  ],
});
