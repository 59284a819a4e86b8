// Original file: proto/user.proto

import type { Role as _ecom_user_v1_Role, Role__Output as _ecom_user_v1_Role__Output } from '../../../ecom/user/v1/Role';

export interface User {
  /**
   * Assigned at registration; opaque to callers.
   */
  'id'?: (string);
  /**
   * Unique (case-insensitively) across users.
   */
  'email'?: (string);
  /**
   * Display name.
   */
  'name'?: (string);
  'role'?: (_ecom_user_v1_Role);
  /**
   * When the user registered: an RFC 3339 timestamp in UTC with milliseconds, e.g. "2025-01-31T09:30:00.000Z".
   * A string rather than google.protobuf.Timestamp because it is the exact value the HTTP API returns (one format
   * for clients of both), JavaScript reads and writes it directly (Date#toISOString), and it sorts as text.
   */
  'createdAt'?: (string);
}

export interface User__Output {
  /**
   * Assigned at registration; opaque to callers.
   */
  'id': (string);
  /**
   * Unique (case-insensitively) across users.
   */
  'email': (string);
  /**
   * Display name.
   */
  'name': (string);
  'role': (_ecom_user_v1_Role__Output);
  /**
   * When the user registered: an RFC 3339 timestamp in UTC with milliseconds, e.g. "2025-01-31T09:30:00.000Z".
   * A string rather than google.protobuf.Timestamp because it is the exact value the HTTP API returns (one format
   * for clients of both), JavaScript reads and writes it directly (Date#toISOString), and it sorts as text.
   */
  'createdAt': (string);
}
