import type { Metadata } from '@grpc/grpc-js';
import { AppError } from '../errors/app-error';
import type { AuthLevel } from '../runtime/function-definition';
import { metadataText } from './call-metadata';
import type { Principal, Verifier } from './request-context';

/** The principal a method of an auth level gets: none for public methods. */
export type PrincipalFor<A extends AuthLevel> = A extends 'public' ? undefined : Principal;

/**
 * Applies a method's auth level to a call: public methods skip the verifier; the others hand the `authorization`
 * metadata to it (which throws `unauthenticated` for a missing or bad token), and admin methods refuse customers.
 */
export async function authenticate<A extends AuthLevel>(
  level: A,
  metadata: Metadata,
  verify: Verifier,
): Promise<PrincipalFor<A>> {
  if (level === 'public') return undefined as PrincipalFor<A>;
  const principal = await verify(metadataText(metadata, 'authorization'), level);
  if (level === 'admin' && principal.role !== 'admin') {
    throw new AppError('forbidden', 'AUTH.ADMIN_ONLY', 'Only admins may call this method');
  }
  return principal as PrincipalFor<A>;
}
