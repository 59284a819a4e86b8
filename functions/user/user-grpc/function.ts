import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const USER_GRPC_SERVICE = 'ecom.user.v1.UserService';

export const definition: FunctionDefinition = {
  name: 'user-grpc',
  service: 'user',
  description: 'The user service over gRPC (GetUser, ListUsers) with the standard health service.',
  trigger: { kind: 'grpc', proto: 'user.proto', services: [USER_GRPC_SERVICE] },
  scaling: DEFAULT_SCALING,
  resources: DEFAULT_RESOURCES,
  config: USER_SERVICE_CONFIG,
};
