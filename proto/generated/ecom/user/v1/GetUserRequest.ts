// Original file: proto/user.proto


export interface GetUserRequest {
  /**
   * Required, non-empty: the user to read. Empty -> INVALID_ARGUMENT.
   */
  'id'?: (string);
}

export interface GetUserRequest__Output {
  /**
   * Required, non-empty: the user to read. Empty -> INVALID_ARGUMENT.
   */
  'id': (string);
}
