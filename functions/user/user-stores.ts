import type { PasswordThrottleStore } from '../../shared/domain/user/password-throttle';
import type { RefreshTokenStore, UserRepository } from '../../shared/domain/user/user-ports';
import type { ServiceStores } from '../../shared/kit/service-stores';
import type { ConfiguredAdminStore } from './ensure-admin';
import { sqlConfiguredAdminStore } from './sql-configured-admin-store';
import { sqlPasswordThrottleStore } from './sql-password-throttle-store';
import { sqlRefreshTokenStore } from './sql-refresh-token-store';
import { sqlUserRepository } from './sql-user-repository';

/** The user service's repositories over the kit's stores; each opens the database on first use. */
export interface UserStores {
  readonly users: () => Promise<UserRepository>;
  readonly refreshTokens: () => Promise<RefreshTokenStore>;
  readonly throttle: () => Promise<PasswordThrottleStore>;
  readonly configuredAdmin: () => Promise<ConfiguredAdminStore>;
}

export function userStores(stores: ServiceStores): UserStores {
  return {
    users: async () => sqlUserRepository(await stores.database()),
    refreshTokens: async () => sqlRefreshTokenStore((await stores.database()).sequelize),
    configuredAdmin: async () => sqlConfiguredAdminStore(await stores.database()),
    throttle: async () => sqlPasswordThrottleStore((await stores.database()).sequelize),
  };
}
