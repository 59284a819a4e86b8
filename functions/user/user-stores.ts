import type { RefreshTokenStore, UserRepository } from '../../shared/domain/user/user-ports';
import type { ServiceStores } from '../../shared/kit/service-stores';
import { sqlRefreshTokenStore } from './sql-refresh-token-store';
import { sqlUserRepository } from './sql-user-repository';

/** The user service's repositories over the kit's stores; each opens the database on first use. */
export interface UserStores {
  readonly users: () => Promise<UserRepository>;
  readonly refreshTokens: () => Promise<RefreshTokenStore>;
}

export function userStores(stores: ServiceStores): UserStores {
  return {
    users: async () => sqlUserRepository(await stores.database()),
    refreshTokens: async () => sqlRefreshTokenStore((await stores.database()).sequelize),
  };
}
