import { z } from 'zod';
import { Role, type Principal } from '../../../shared/domain/user/roles';
import type { User } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';

export const ChangeRoleInput = z.object({ role: Role }).strict();
export type ChangeRoleInput = z.infer<typeof ChangeRoleInput>;
export const ChangeRoleParams = z.object({ id: z.uuid() });
export type ChangeRoleParams = z.infer<typeof ChangeRoleParams>;

/**
 * An admin sets another user's role. Admins cannot change their own, so the shop never loses its last admin by
 * accident. The new role counts at once on every route that confirms the caller's role (the user service's, and
 * admin-only routes everywhere); the user's access tokens carry it from their next refresh.
 */
export async function changeRole(
  deps: { readonly users: UserRepository; readonly now: () => Date },
  caller: Principal,
  userId: string,
  input: ChangeRoleInput,
): Promise<User> {
  if (userId === caller.userId) {
    throw new AppError('rule', 'USER.OWN_ROLE', 'Admins cannot change their own role.');
  }
  const updated = await deps.users.update(userId, { role: input.role }, deps.now());
  if (!updated) throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');
  return updated;
}
