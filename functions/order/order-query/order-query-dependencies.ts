import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import type { HistoryStore } from '../../../shared/domain/history-store';
import type { AuthorizationVerifier } from '../../../shared/runtime/principal';
import { orderConnections } from '../order-connections';
import type { OrderQueryEnv } from './order-query-config';

/** What the order-query handler needs; the stores open on first use. */
export interface OrderQueryDependencies {
  readonly notifications: () => Promise<HistoryStore>;
  readonly verify: AuthorizationVerifier;
}

/** Builds order-query's adapters from its config, without I/O. */
export function orderQueryDependencies(env: OrderQueryEnv): OrderQueryDependencies {
  return {
    notifications: orderConnections(env).notifications,
    verify: authorizationVerifier(env),
  };
}
