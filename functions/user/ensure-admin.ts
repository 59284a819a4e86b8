import { randomUUID } from 'node:crypto';
import type { UserRecord } from '../../shared/domain/user/user';

/** The configured first admin: ADMIN_EMAIL, ADMIN_PASSWORD and ADMIN_RESET_PASSWORD. */
export interface ConfiguredAdmin {
  readonly email: string;
  readonly password: string;
  /** Give the account `password` again, once for this password (see {@link ConfiguredAdminStore.resetPassword}). */
  readonly resetPassword: boolean;
}

/** Where the configured admin is kept: its account, and the configured password the last reset applied. */
export interface ConfiguredAdminStore {
  /** Whether an account has this e-mail (any role). */
  exists(email: string): Promise<boolean>;
  /**
   * Stores the admin, and with `resetApplied` records its password hash as the last reset applied, atomically;
   * false when the e-mail is taken.
   */
  create(admin: UserRecord, resetApplied: boolean): Promise<boolean>;
  /**
   * With the account of `email` locked, so instances starting together take turns: `newHash` gets the hash of the
   * password the last reset applied (undefined when none is recorded) and answers the account's new password hash,
   * or undefined to leave it. A new hash is recorded as applied, gives the account the admin role and revokes its
   * refresh tokens, all in one transaction. Answers whether it reset; false also when there is no such account.
   */
  resetPassword(
    email: string,
    newHash: (applied: string | undefined) => Promise<string | undefined>,
    now: Date,
  ): Promise<boolean>;
}

export interface EnsureAdminDeps {
  readonly store: ConfiguredAdminStore;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly verifyPassword: (hash: string, password: string) => Promise<boolean>;
  readonly now: () => Date;
}

/**
 * Bootstraps the configured admin: nobody can make themselves admin through the API, so this is where the first
 * admin comes from. The account is created when no account has the e-mail; afterwards it belongs to its owner and
 * other admins, so its password and role are left alone (the admin changes the password, an admin may demote it).
 * ADMIN_RESET_PASSWORD asks for the configured password back, for a lost password: applied once per configured
 * password (recorded as a hash), because every instance starts with the same env and a reset applied at each start
 * would undo the admin's next change; another reset takes another ADMIN_PASSWORD. Safe when several instances run
 * it at once.
 */
export async function ensureAdmin(
  deps: EnsureAdminDeps,
  admin: ConfiguredAdmin,
): Promise<'created' | 'reset' | 'unchanged'> {
  if (!(await deps.store.exists(admin.email))) {
    const now = deps.now();
    const passwordHash = await deps.hashPassword(admin.password);
    const user = { id: randomUUID(), email: admin.email, name: 'Administrator', role: 'admin' as const };
    // Created with the reset flag on, the account has the configured password: that request is done, and a flag
    // left on must not take the password back after the admin changes it.
    const record = { ...user, passwordHash, createdAt: now, updatedAt: now };
    if (await deps.store.create(record, admin.resetPassword)) return 'created';
    // Another instance created it between our read and our insert: it did the same.
  }
  if (!admin.resetPassword) return 'unchanged';
  const reset = await deps.store.resetPassword(
    admin.email,
    async (applied) =>
      applied !== undefined && (await deps.verifyPassword(applied, admin.password))
        ? undefined
        : deps.hashPassword(admin.password),
    deps.now(),
  );
  return reset ? 'reset' : 'unchanged';
}
