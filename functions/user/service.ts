import { defineService } from '../../shared/kit/service-declaration';
import { USER_MIGRATIONS } from './user-migrations';

/** The user service: accounts, roles and sessions, in its own database. */
export const userService = defineService({ name: 'user', migrations: USER_MIGRATIONS, histories: [] });
