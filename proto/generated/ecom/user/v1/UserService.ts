// Original file: proto/user.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Contact as _ecom_user_v1_Contact, Contact__Output as _ecom_user_v1_Contact__Output } from '../../../ecom/user/v1/Contact';
import type { GetContactRequest as _ecom_user_v1_GetContactRequest, GetContactRequest__Output as _ecom_user_v1_GetContactRequest__Output } from '../../../ecom/user/v1/GetContactRequest';
import type { GetCurrentSessionRequest as _ecom_user_v1_GetCurrentSessionRequest, GetCurrentSessionRequest__Output as _ecom_user_v1_GetCurrentSessionRequest__Output } from '../../../ecom/user/v1/GetCurrentSessionRequest';
import type { GetUserRequest as _ecom_user_v1_GetUserRequest, GetUserRequest__Output as _ecom_user_v1_GetUserRequest__Output } from '../../../ecom/user/v1/GetUserRequest';
import type { ListUsersRequest as _ecom_user_v1_ListUsersRequest, ListUsersRequest__Output as _ecom_user_v1_ListUsersRequest__Output } from '../../../ecom/user/v1/ListUsersRequest';
import type { ListUsersResponse as _ecom_user_v1_ListUsersResponse, ListUsersResponse__Output as _ecom_user_v1_ListUsersResponse__Output } from '../../../ecom/user/v1/ListUsersResponse';
import type { Session as _ecom_user_v1_Session, Session__Output as _ecom_user_v1_Session__Output } from '../../../ecom/user/v1/Session';
import type { User as _ecom_user_v1_User, User__Output as _ecom_user_v1_User__Output } from '../../../ecom/user/v1/User';

export interface UserServiceClient extends grpc.Client {
  /**
   * A user's address and name, for mail the shop sends (notify). Not for users: the caller presents the services'
   * shared secret in metadata `x-internal-token` (INTERNAL_TOKEN); without it, UNAUTHENTICATED
   * (`error-code` AUTH.INTERNAL_ONLY). An unknown id -> NOT_FOUND (USER.NOT_FOUND).
   */
  GetContact(argument: _ecom_user_v1_GetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _ecom_user_v1_GetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _ecom_user_v1_GetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _ecom_user_v1_GetContactRequest, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  /**
   * A user's address and name, for mail the shop sends (notify). Not for users: the caller presents the services'
   * shared secret in metadata `x-internal-token` (INTERNAL_TOKEN); without it, UNAUTHENTICATED
   * (`error-code` AUTH.INTERNAL_ONLY). An unknown id -> NOT_FOUND (USER.NOT_FOUND).
   */
  getContact(argument: _ecom_user_v1_GetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _ecom_user_v1_GetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _ecom_user_v1_GetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _ecom_user_v1_GetContactRequest, callback: grpc.requestCallback<_ecom_user_v1_Contact__Output>): grpc.ClientUnaryCall;
  
  /**
   * The caller's own session as the user service knows it now, with their current role. Any signed-in caller: the
   * other services' admin-only routes forward their caller's token here before they act, so a logout or a demotion
   * reaches them at once. An ended session (logout, password change, revocation) or a deleted user answers
   * UNAUTHENTICATED with `error-code` AUTH.SESSION_ENDED.
   */
  GetCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  GetCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  GetCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  GetCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  /**
   * The caller's own session as the user service knows it now, with their current role. Any signed-in caller: the
   * other services' admin-only routes forward their caller's token here before they act, so a logout or a demotion
   * reaches them at once. An ended session (logout, password change, revocation) or a deleted user answers
   * UNAUTHENTICATED with `error-code` AUTH.SESSION_ENDED.
   */
  getCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  getCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  getCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  getCurrentSession(argument: _ecom_user_v1_GetCurrentSessionRequest, callback: grpc.requestCallback<_ecom_user_v1_Session__Output>): grpc.ClientUnaryCall;
  
  /**
   * One user by id. Any signed-in caller. A customer may read only themselves: any other id answers NOT_FOUND
   * (not PERMISSION_DENIED, so a customer cannot probe which ids exist); an admin may read anyone.
   */
  GetUser(argument: _ecom_user_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _ecom_user_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _ecom_user_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _ecom_user_v1_GetUserRequest, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  /**
   * One user by id. Any signed-in caller. A customer may read only themselves: any other id answers NOT_FOUND
   * (not PERMISSION_DENIED, so a customer cannot probe which ids exist); an admin may read anyone.
   */
  getUser(argument: _ecom_user_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _ecom_user_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _ecom_user_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _ecom_user_v1_GetUserRequest, callback: grpc.requestCallback<_ecom_user_v1_User__Output>): grpc.ClientUnaryCall;
  
  /**
   * All users, a page at a time, newest first (by created_at, then id, so pages are stable).
   * Admins only: a customer gets PERMISSION_DENIED.
   */
  ListUsers(argument: _ecom_user_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _ecom_user_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _ecom_user_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _ecom_user_v1_ListUsersRequest, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * All users, a page at a time, newest first (by created_at, then id, so pages are stable).
   * Admins only: a customer gets PERMISSION_DENIED.
   */
  listUsers(argument: _ecom_user_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _ecom_user_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _ecom_user_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _ecom_user_v1_ListUsersRequest, callback: grpc.requestCallback<_ecom_user_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface UserServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A user's address and name, for mail the shop sends (notify). Not for users: the caller presents the services'
   * shared secret in metadata `x-internal-token` (INTERNAL_TOKEN); without it, UNAUTHENTICATED
   * (`error-code` AUTH.INTERNAL_ONLY). An unknown id -> NOT_FOUND (USER.NOT_FOUND).
   */
  GetContact: grpc.handleUnaryCall<_ecom_user_v1_GetContactRequest__Output, _ecom_user_v1_Contact>;
  
  /**
   * The caller's own session as the user service knows it now, with their current role. Any signed-in caller: the
   * other services' admin-only routes forward their caller's token here before they act, so a logout or a demotion
   * reaches them at once. An ended session (logout, password change, revocation) or a deleted user answers
   * UNAUTHENTICATED with `error-code` AUTH.SESSION_ENDED.
   */
  GetCurrentSession: grpc.handleUnaryCall<_ecom_user_v1_GetCurrentSessionRequest__Output, _ecom_user_v1_Session>;
  
  /**
   * One user by id. Any signed-in caller. A customer may read only themselves: any other id answers NOT_FOUND
   * (not PERMISSION_DENIED, so a customer cannot probe which ids exist); an admin may read anyone.
   */
  GetUser: grpc.handleUnaryCall<_ecom_user_v1_GetUserRequest__Output, _ecom_user_v1_User>;
  
  /**
   * All users, a page at a time, newest first (by created_at, then id, so pages are stable).
   * Admins only: a customer gets PERMISSION_DENIED.
   */
  ListUsers: grpc.handleUnaryCall<_ecom_user_v1_ListUsersRequest__Output, _ecom_user_v1_ListUsersResponse>;
  
}

export interface UserServiceDefinition extends grpc.ServiceDefinition {
  GetContact: MethodDefinition<_ecom_user_v1_GetContactRequest, _ecom_user_v1_Contact, _ecom_user_v1_GetContactRequest__Output, _ecom_user_v1_Contact__Output>
  GetCurrentSession: MethodDefinition<_ecom_user_v1_GetCurrentSessionRequest, _ecom_user_v1_Session, _ecom_user_v1_GetCurrentSessionRequest__Output, _ecom_user_v1_Session__Output>
  GetUser: MethodDefinition<_ecom_user_v1_GetUserRequest, _ecom_user_v1_User, _ecom_user_v1_GetUserRequest__Output, _ecom_user_v1_User__Output>
  ListUsers: MethodDefinition<_ecom_user_v1_ListUsersRequest, _ecom_user_v1_ListUsersResponse, _ecom_user_v1_ListUsersRequest__Output, _ecom_user_v1_ListUsersResponse__Output>
}
