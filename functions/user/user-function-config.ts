import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { AccessTokenVerifierEnv } from '../../shared/auth/verifier-config';
import { configOf } from '../../shared/runtime/config-declaration';
import { UserServiceEnv } from './user-config';

const SECRETS = ['MYSQL_PASSWORD', 'ADMIN_PASSWORD'];

/** What every user-service function reads: the service's settings and the access-token public key. */
export const USER_SERVICE_CONFIG = configOf([UserServiceEnv, AccessTokenVerifierEnv], SECRETS);

/** login and refresh-token also hold the private key that signs access tokens. */
export const TOKEN_ISSUER_CONFIG = configOf(
  [UserServiceEnv, AccessTokenSignerEnv],
  [...SECRETS, 'JWT_PRIVATE_KEY'],
);
