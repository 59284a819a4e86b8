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
});
