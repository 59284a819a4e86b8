// Original file: proto/user.proto


export interface ListUsersRequest {
  /**
   * 1-based page number. 0 (unset) means 1; negative -> INVALID_ARGUMENT.
   * A page past the last one answers no items (not an error), with the real total.
   */
  'page'?: (number);
  /**
   * Users per page, 1..100. 0 (unset) means 20; negative or over 100 -> INVALID_ARGUMENT.
   */
  'pageSize'?: (number);
}

export interface ListUsersRequest__Output {
  /**
   * 1-based page number. 0 (unset) means 1; negative -> INVALID_ARGUMENT.
   * A page past the last one answers no items (not an error), with the real total.
   */
  'page': (number);
  /**
   * Users per page, 1..100. 0 (unset) means 20; negative or over 100 -> INVALID_ARGUMENT.
   */
  'pageSize': (number);
}
