// Original file: proto/user.proto

import type { Role as _ecom_user_v1_Role, Role__Output as _ecom_user_v1_Role__Output } from '../../../ecom/user/v1/Role';

export interface Session {
  'userId'?: (string);
  /**
   * The token's `sid` claim: one login and the refreshes that followed it.
   */
  'sessionId'?: (string);
  /**
   * The role now, which may differ from the token's `role` claim after a promotion or a demotion.
   */
  'role'?: (_ecom_user_v1_Role);
}

export interface Session__Output {
  'userId': (string);
  /**
   * The token's `sid` claim: one login and the refreshes that followed it.
   */
  'sessionId': (string);
  /**
   * The role now, which may differ from the token's `role` claim after a promotion or a demotion.
   */
  'role': (_ecom_user_v1_Role__Output);
}
