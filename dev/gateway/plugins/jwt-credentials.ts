import { createPublicKey, type KeyObject } from 'node:crypto';
import { KongConfigError, type KongConsumer } from '../kong-config';
import type { JwtAlgorithm } from './jwt-token';

/** A consumer's jwt secret, ready to verify with: Kong's `jwt_secrets` row joined with its consumer. */
export interface JwtCredential {
  readonly key: string;
  readonly algorithm: JwtAlgorithm;
  /** HS* only, as written in kong.yml (the plugin's `secret_is_base64` says how to read it). */
  readonly secret?: string;
  /** RS*, PS*, ES*: the PEM of `rsa_public_key`, parsed once. */
  readonly publicKey?: KeyObject;
  readonly consumer: { readonly username?: string; readonly customId?: string; readonly id?: string };
}

/** Finds the credential whose `key` a token names (Kong's jwt_secrets select_by_key). */
export type JwtCredentialLookup = (key: string) => JwtCredential | undefined;

/**
 * Indexes every consumer's jwt secrets by key. Keys are unique in Kong; a duplicate would make the answer
 * depend on order, so it is an error here too.
 */
export function jwtCredentialLookup(consumers: readonly KongConsumer[]): JwtCredentialLookup {
  const byKey = new Map<string, JwtCredential>();
  for (const consumer of consumers) {
    for (const secret of consumer.jwt_secrets) {
      if (byKey.has(secret.key)) {
        throw new KongConfigError(`two jwt_secrets have the key ${JSON.stringify(secret.key)}`);
      }
      byKey.set(secret.key, {
        key: secret.key,
        algorithm: secret.algorithm,
        secret: secret.secret,
        publicKey: secret.rsa_public_key === undefined ? undefined : createPublicKey(secret.rsa_public_key),
        consumer: { username: consumer.username, customId: consumer.custom_id, id: consumer.id },
      });
    }
  }
  return (key) => byKey.get(key);
}
