// Original file: proto/user.proto

/**
 * A user's role; it decides what the user may do everywhere (the access token carries it too).
 */
export const Role = {
  /**
   * Never sent by the server; proto3 needs a zero value.
   */
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_CUSTOMER: 'ROLE_CUSTOMER',
  ROLE_ADMIN: 'ROLE_ADMIN',
} as const;

/**
 * A user's role; it decides what the user may do everywhere (the access token carries it too).
 */
export type Role =
  /**
   * Never sent by the server; proto3 needs a zero value.
   */
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_CUSTOMER'
  | 1
  | 'ROLE_ADMIN'
  | 2

/**
 * A user's role; it decides what the user may do everywhere (the access token carries it too).
 */
export type Role__Output = typeof Role[keyof typeof Role]
