// Original file: proto/user.proto


export interface GetContactRequest {
  /**
   * Required: the user, a UUID.
   */
  'userId'?: (string);
}

export interface GetContactRequest__Output {
  /**
   * Required: the user, a UUID.
   */
  'userId': (string);
}
