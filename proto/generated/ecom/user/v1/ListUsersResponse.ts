// Original file: proto/user.proto

import type { User as _ecom_user_v1_User, User__Output as _ecom_user_v1_User__Output } from '../../../ecom/user/v1/User';

export interface ListUsersResponse {
  /**
   * At most page_size users, newest first.
   */
  'items'?: (_ecom_user_v1_User)[];
  /**
   * The page served (after defaults).
   */
  'page'?: (number);
  /**
   * The page size used (after defaults).
   */
  'pageSize'?: (number);
  /**
   * Users in all pages.
   */
  'total'?: (number);
}

export interface ListUsersResponse__Output {
  /**
   * At most page_size users, newest first.
   */
  'items': (_ecom_user_v1_User__Output)[];
  /**
   * The page served (after defaults).
   */
  'page': (number);
  /**
   * The page size used (after defaults).
   */
  'pageSize': (number);
  /**
   * Users in all pages.
   */
  'total': (number);
}
