import { z } from 'zod';
import { Role } from './roles';

/** A user as the API shows it. */
export interface User {
  readonly id: string;
  /** As the user typed it; compared case-insensitively (see `emailKey`). */
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A user as the store keeps it. */
export interface UserRecord extends User {
  readonly passwordHash: string;
}

/** An e-mail address, trimmed; at most 254 characters (RFC 5321's path limit). */
export const Email = z.string().trim().max(254).pipe(z.email());

/**
 * A display name: trimmed, 1..100 characters, no control characters (a line break would forge lines of the mail it
 * appears in) and no bidirectional overrides (which make text read backwards).
 */
export const UserName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain control characters');

/**
 * The key e-mail addresses are compared by: `Ada@Example.com` and `ada@example.com` are one account. Lower-casing
 * the local part too is what users expect, even though RFC 5321 lets a server tell them apart.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** A user as the API answers it (never the password hash). */
export const UserView = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: Role,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}
