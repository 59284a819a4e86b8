import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Contact as _ecom_user_v1_Contact, Contact__Output as _ecom_user_v1_Contact__Output } from './ecom/user/v1/Contact';
import type { GetContactRequest as _ecom_user_v1_GetContactRequest, GetContactRequest__Output as _ecom_user_v1_GetContactRequest__Output } from './ecom/user/v1/GetContactRequest';
import type { GetCurrentSessionRequest as _ecom_user_v1_GetCurrentSessionRequest, GetCurrentSessionRequest__Output as _ecom_user_v1_GetCurrentSessionRequest__Output } from './ecom/user/v1/GetCurrentSessionRequest';
import type { GetUserRequest as _ecom_user_v1_GetUserRequest, GetUserRequest__Output as _ecom_user_v1_GetUserRequest__Output } from './ecom/user/v1/GetUserRequest';
import type { ListUsersRequest as _ecom_user_v1_ListUsersRequest, ListUsersRequest__Output as _ecom_user_v1_ListUsersRequest__Output } from './ecom/user/v1/ListUsersRequest';
import type { ListUsersResponse as _ecom_user_v1_ListUsersResponse, ListUsersResponse__Output as _ecom_user_v1_ListUsersResponse__Output } from './ecom/user/v1/ListUsersResponse';
import type { Session as _ecom_user_v1_Session, Session__Output as _ecom_user_v1_Session__Output } from './ecom/user/v1/Session';
import type { User as _ecom_user_v1_User, User__Output as _ecom_user_v1_User__Output } from './ecom/user/v1/User';
import type { UserServiceClient as _ecom_user_v1_UserServiceClient, UserServiceDefinition as _ecom_user_v1_UserServiceDefinition } from './ecom/user/v1/UserService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ecom: {
    user: {
      v1: {
        Contact: MessageTypeDefinition<_ecom_user_v1_Contact, _ecom_user_v1_Contact__Output>
        GetContactRequest: MessageTypeDefinition<_ecom_user_v1_GetContactRequest, _ecom_user_v1_GetContactRequest__Output>
        GetCurrentSessionRequest: MessageTypeDefinition<_ecom_user_v1_GetCurrentSessionRequest, _ecom_user_v1_GetCurrentSessionRequest__Output>
        GetUserRequest: MessageTypeDefinition<_ecom_user_v1_GetUserRequest, _ecom_user_v1_GetUserRequest__Output>
        ListUsersRequest: MessageTypeDefinition<_ecom_user_v1_ListUsersRequest, _ecom_user_v1_ListUsersRequest__Output>
        ListUsersResponse: MessageTypeDefinition<_ecom_user_v1_ListUsersResponse, _ecom_user_v1_ListUsersResponse__Output>
        Role: EnumTypeDefinition
        Session: MessageTypeDefinition<_ecom_user_v1_Session, _ecom_user_v1_Session__Output>
        User: MessageTypeDefinition<_ecom_user_v1_User, _ecom_user_v1_User__Output>
        UserService: SubtypeConstructor<typeof grpc.Client, _ecom_user_v1_UserServiceClient> & { service: _ecom_user_v1_UserServiceDefinition }
      }
    }
  }
}

