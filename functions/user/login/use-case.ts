import { z } from 'zod';
import {
  throttledPasswordCheck,
  throttleKey,
  type PasswordThrottleStore,
} from '../../../shared/domain/user/password-throttle';
import type { RefreshTokenStore, UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { newTokenPair, type AccessTokenSigner, type TokenPair } from '../../../shared/domain/user/token-pair';

/** No password policy here: a policy change must not lock out passwords chosen before it. */
export const LoginInput = z.object({ email: z.string().max(254), password: z.string().max(1024) }).strict();
export type LoginInput = z.infer<typeof LoginInput>;

export interface LoginDeps {
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenStore;
  readonly throttle: PasswordThrottleStore;
  /** Verifies against a dummy hash when there is no user, so both failures take the same time. */
  readonly verifyPassword: (hash: string | undefined, password: string) => Promise<boolean>;
  /** Whether a stored hash was made with other parameters than today's. */
  readonly needsRehash: (hash: string) => boolean;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly sign: AccessTokenSigner;
  readonly newFamilyId: () => string;
  readonly now: () => Date;
}

/**
 * Signs a user in: a new token pair starting a new refresh-token family. A password hashed with older parameters is
 * hashed again with today's while the password is at hand (the sessions stay: the password did not change).
 * Each e-mail has its own throttle (password-throttle.ts): after a few failures, attempts wait, unknown e-mails alike.
 */
export async function login(deps: LoginDeps, input: LoginInput): Promise<TokenPair> {
  const now = deps.now();
  const user = await deps.users.findByEmail(input.email);
  const passwordMatches = await throttledPasswordCheck(deps.throttle, throttleKey(input.email), now, () =>
    deps.verifyPassword(user?.passwordHash, input.password),
  );
  if (!user || !passwordMatches) {
    // One answer for an unknown e-mail and a wrong password: the API does not say which accounts exist.
    throw new AppError('unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'The e-mail or the password is wrong.');
  }
  if (deps.needsRehash(user.passwordHash)) {
    await deps.users.update(user.id, { passwordHash: await deps.hashPassword(input.password) }, now);
  }
  const { pair, stored } = newTokenPair(deps.sign, user, deps.newFamilyId(), now);
  await deps.refreshTokens.insert(stored);
  return pair;
}
