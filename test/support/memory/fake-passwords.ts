/**
 * Stand-ins for the argon2 functions of shared/auth/password.ts, instant and deterministic: a "hash" is the password
 * with a prefix. Each keeps the calls it got, so tests can check that a check ran (or that no hash was made).
 */
export interface FakePasswords {
  readonly hashPassword: (password: string) => Promise<string>;
  /** As login's verifyPasswordOrDummy: no stored hash means false, after doing the work anyway. */
  readonly verifyPassword: (passwordHash: string | undefined, password: string) => Promise<boolean>;
  readonly hashed: readonly string[];
  readonly verified: readonly { readonly passwordHash: string | undefined; readonly password: string }[];
}

/** The stored form of `password` under the fake hash. */
export const fakeHash = (password: string): string => `hash:${password}`;

export function fakePasswords(): FakePasswords {
  const hashed: string[] = [];
  const verified: { passwordHash: string | undefined; password: string }[] = [];
  return {
    hashed,
    verified,
    hashPassword(password) {
      hashed.push(password);
      return Promise.resolve(fakeHash(password));
    },
    verifyPassword(passwordHash, password) {
      verified.push({ passwordHash, password });
      return Promise.resolve(passwordHash !== undefined && passwordHash === fakeHash(password));
    },
  };
}
