import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NewPassword } from '../../../shared/domain/user/password-policy';
import { Email, UserName, type User } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { userRegisteredEvent } from '../../../shared/domain/user/user-events';

/** The registration form. Unknown fields (a `role`, say) are refused, never applied. */
export const RegisterInput = z.object({ email: Email, password: NewPassword, name: UserName }).strict();
export type RegisterInput = z.infer<typeof RegisterInput>;

export interface RegisterDeps {
  readonly users: UserRepository;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly now: () => Date;
  /** The configured admin's e-mail: that account comes from configuration, never from registering. */
  readonly adminEmail: string;
}

/** Creates a customer and records `com.ecom.user.registered` with it, atomically. A taken e-mail is a 409. */
export async function registerUser(deps: RegisterDeps, input: RegisterInput): Promise<User> {
  // Checked first so a taken address costs no password hash; the unique key still decides under a race. The
  // admin's address answers the same whether or not the admin has logged in yet (the account is made then).
  const reserved = input.email.toLowerCase() === deps.adminEmail.toLowerCase();
  if (reserved || (await deps.users.findByEmail(input.email))) {
    throw new AppError('conflict', 'USER.EMAIL_TAKEN', 'An account with this e-mail already exists.');
  }
  const now = deps.now();
  const user: User = {
    id: randomUUID(),
    email: input.email,
    name: input.name,
    role: 'customer',
    createdAt: now,
    updatedAt: now,
  };
  await deps.users.insert({ ...user, passwordHash: await deps.hashPassword(input.password) }, [
    userRegisteredEvent(user),
  ]);
  return user;
}
