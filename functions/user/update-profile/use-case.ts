import { z } from 'zod';
import { NewPassword } from '../../../shared/domain/user/password-policy';
import {
  throttledPasswordCheck,
  throttleKey,
  type PasswordThrottleStore,
} from '../../../shared/domain/user/password-throttle';
import type { Principal } from '../../../shared/domain/user/roles';
import { UserName, type User } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';

export const UpdateProfileInput = z
  .object({
    name: UserName.optional(),
    password: NewPassword.optional(),
    currentPassword: z.string().max(1024).optional(),
  })
  .strict()
  .refine((input) => input.name !== undefined || input.password !== undefined, {
    message: 'give a name or a password to change',
  })
  .refine((input) => input.password === undefined || input.currentPassword !== undefined, {
    path: ['currentPassword'],
    message: 'is required to change the password',
  });
export type UpdateProfileInput = z.infer<typeof UpdateProfileInput>;

export interface UpdateProfileDeps {
  readonly users: UserRepository;
  /** The account's password throttle, shared with login: a stolen session cannot guess the password unbounded. */
  readonly throttle: PasswordThrottleStore;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly verifyPassword: (hash: string, password: string) => Promise<boolean>;
  readonly now: () => Date;
}

/**
 * Changes the caller's own profile. A new password needs the current one and ends every session (the refresh
 * tokens are revoked with the change), so whoever stole a session is out too.
 */
export async function updateProfile(
  deps: UpdateProfileDeps,
  caller: Principal,
  input: UpdateProfileInput,
): Promise<User> {
  const user = await deps.users.findById(caller.userId);
  if (!user) throw new AppError('not-found', 'USER.NOT_FOUND', 'The account no longer exists.');
  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    const check = () => deps.verifyPassword(user.passwordHash, input.currentPassword ?? '');
    if (!(await throttledPasswordCheck(deps.throttle, throttleKey(user.email), deps.now(), check))) {
      throw new AppError('forbidden', 'USER.CURRENT_PASSWORD_WRONG', 'The current password is wrong.');
    }
    passwordHash = await deps.hashPassword(input.password);
  }
  const updated = await deps.users.update(
    user.id,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(passwordHash !== undefined ? { passwordHash, revokeRefreshTokens: true } : {}),
    },
    deps.now(),
  );
  if (!updated) throw new AppError('not-found', 'USER.NOT_FOUND', 'The account no longer exists.');
  return updated;
}
