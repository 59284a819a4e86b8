import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../shared/auth/password';
import type { UserRepository } from '../../shared/domain/user/user-ports';
import { isAppError } from '../../shared/errors/app-error';

/**
 * Makes the configured first admin exist with the configured password: created when missing, promoted and given
 * the configured password when the account exists otherwise. Nobody can make themselves admin through the API,
 * so this is where the first admin comes from. Safe when several instances run it at once.
 */
export async function ensureAdmin(
  users: UserRepository,
  admin: { readonly email: string; readonly password: string },
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await users.findByEmail(admin.email);
  if (!existing) {
    try {
      const passwordHash = await hashPassword(admin.password);
      const user = { id: randomUUID(), email: admin.email, name: 'Administrator', role: 'admin' as const };
      await users.insert({ ...user, passwordHash, createdAt: now, updatedAt: now }, []);
      return 'created';
    } catch (error) {
      // Another instance created it between our read and our insert: check that one instead.
      if (isAppError(error) && error.kind === 'conflict') return ensureAdmin(users, admin, now);
      throw error;
    }
  }
  const passwordMatches = await verifyPassword(existing.passwordHash, admin.password);
  if (existing.role === 'admin' && passwordMatches) return 'unchanged';
  await users.update(
    existing.id,
    {
      role: 'admin',
      ...(passwordMatches
        ? {}
        : { passwordHash: await hashPassword(admin.password), revokeRefreshTokens: true }),
    },
    now,
  );
  return 'updated';
}
