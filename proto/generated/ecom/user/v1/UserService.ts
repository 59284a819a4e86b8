// Original file: proto/user.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetUserRequest as _ecom_user_v1_GetUserRequest, GetUserRequest__Output as _ecom_user_v1_GetUserRequest__Output } from '../../../ecom/user/v1/GetUserRequest';
import type { ListUsersRequest as _ecom_user_v1_ListUsersRequest, ListUsersRequest__Output as _ecom_user_v1_ListUsersRequest__Output } from '../../../ecom/user/v1/ListUsersRequest';
import type { ListUsersResponse as _ecom_user_v1_ListUsersResponse, ListUsersResponse__Output as _ecom_user_v1_ListUsersResponse__Output } from '../../../ecom/user/v1/ListUsersResponse';
import type { User as _ecom_user_v1_User, User__Output as _ecom_user_v1_User__Output } from '../../../ecom/user/v1/User';

export interface UserServiceClient extends grpc.Client {
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
  GetUser: MethodDefinition<_ecom_user_v1_GetUserRequest, _ecom_user_v1_User, _ecom_user_v1_GetUserRequest__Output, _ecom_user_v1_User__Output>
  ListUsers: MethodDefinition<_ecom_user_v1_ListUsersRequest, _ecom_user_v1_ListUsersResponse, _ecom_user_v1_ListUsersRequest__Output, _ecom_user_v1_ListUsersResponse__Output>
}
