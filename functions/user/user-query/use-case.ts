import { z } from 'zod';
import type { Principal } from '../../../shared/domain/user/roles';
import { userView, type UserView } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import type { Page, PageQuery } from '../../../shared/domain/pagination';

export const UserIdParams = z.object({ id: z.uuid() });
export type UserIdParams = z.infer<typeof UserIdParams>;

const notFound = () => new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');

/** The caller's own account. */
export async function getMe(users: UserRepository, caller: Principal): Promise<UserView> {
  const user = await users.findById(caller.userId);
  if (!user) throw notFound();
  return userView(user);
}

/** Any user, for admins (the route enforces the role). */
export async function getUser(users: UserRepository, id: string): Promise<UserView> {
  const user = await users.findById(id);
  if (!user) throw notFound();
  return userView(user);
}

/** The paged list of users, oldest first, for admins. */
export async function listUsers(users: UserRepository, query: PageQuery): Promise<Page<UserView>> {
  const { items, total } = await users.list(query.page, query.pageSize);
  return { items: items.map(userView), page: query.page, pageSize: query.pageSize, total };
}
