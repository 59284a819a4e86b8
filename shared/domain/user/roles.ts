import { z } from 'zod';
import { AppError } from '../../errors/app-error';

/** The roles a user can have; carried in the access token's `role` claim. */
export const Role = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof Role>;

/** The caller, as a verified access token describes them. */
export interface Principal {
  readonly userId: string;
  readonly role: Role;
  /** The token's `jti`: lets logs and a deny-list name one token. */
  readonly tokenId: string;
  /** The token's `sid`: the session (refresh-token family) it belongs to, which logout and revocation end. */
  readonly sessionId: string;
  readonly expiresAt: Date;
}

// Admins may do whatever customers may (place an order to test the shop); never the other way round.
const rank: Record<Role, number> = { customer: 0, admin: 1 };

/**
 * Throws AppError('forbidden', 'AUTH.FORBIDDEN') unless the principal has the role, or a higher one
 * (an admin satisfies `requireRole(p, 'customer')`).
 */
export function requireRole(principal: Principal, role: Role): void {
  if (rank[principal.role] < rank[role]) {
    throw new AppError('forbidden', 'AUTH.FORBIDDEN', 'You are not allowed to do this.');
  }
}
