import { z } from 'zod';
import type { Page, PageQuery } from '../../../shared/domain/pagination';
import type { Principal, Role } from '../../../shared/domain/user/roles';
import type { UserView } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { getUser, listUsers } from '../user-query/use-case';

/** Who calls a method: what the kit's verifier confirmed (the session in the database, the role now). */
export type Caller = Pick<Principal, 'userId' | 'role' | 'sessionId'>;

/** `GetUser`: a user id. */
export const GetUserRequest = z.object({ id: z.uuid() });
export type GetUserRequest = z.infer<typeof GetUserRequest>;

/** `GetContact`: the id of the user to reach. */
export const GetContactRequest = z.object({ userId: z.uuid() });
export type GetContactRequest = z.infer<typeof GetContactRequest>;

/**
 * `GetUser`: admins read anyone; a customer reads only themselves. Anyone else is USER.NOT_FOUND, as an unknown id
 * is, so a customer cannot tell which ids exist.
 */
export async function getUserFor(
  users: UserRepository,
  caller: Caller,
  { id }: GetUserRequest,
): Promise<UserView> {
  if (caller.role !== 'admin' && caller.userId !== id) {
    throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');
  }
  return getUser(users, id);
}

/** `ListUsers`: the paged list of users, oldest first, for admins only (AUTH.FORBIDDEN for anyone else). */
export async function listUsersFor(
  users: UserRepository,
  caller: Caller,
  query: PageQuery,
): Promise<Page<UserView>> {
  if (caller.role !== 'admin') {
    throw new AppError('forbidden', 'AUTH.FORBIDDEN', 'You are not allowed to do this.');
  }
  return listUsers(users, query);
}

/** The caller's session, as `GetCurrentSession` answers it. */
export interface CurrentSession {
  readonly userId: string;
  readonly sessionId: string;
  readonly role: Role;
}

/**
 * `GetCurrentSession`: the caller, their session and their role now. The kit's verifier has already confirmed the
 * session in the database and read the current role into the principal, so the answer is the principal's.
 */
export function currentSession(caller: Caller): CurrentSession {
  return { userId: caller.userId, sessionId: caller.sessionId, role: caller.role };
}

/** What `GetContact` needs: the users, and how to recognise the shop services' internal token. */
export interface ContactDeps {
  /** Reached only once the caller is recognised: a refused call opens no store. */
  readonly users: () => Promise<UserRepository>;
  /** Whether `presented` is the internal token (compared in constant time by the wiring). */
  readonly isInternalToken: (presented: string | undefined) => boolean;
}

/** How a shop service reaches a user (notify, for an address to mail). */
export interface Contact {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

/**
 * `GetContact`: no user calls this, only the shop's services, presenting the internal token; anyone else, a signed-in
 * user included, is AUTH.INTERNAL_ONLY before the users are reached. An unknown user is USER.NOT_FOUND.
 */
export async function getContact(
  deps: ContactDeps,
  presentedToken: string | undefined,
  { userId }: GetContactRequest,
): Promise<Contact> {
  if (!deps.isInternalToken(presentedToken)) {
    throw new AppError('unauthenticated', 'AUTH.INTERNAL_ONLY', 'Only the shop services may call this.');
  }
  const { id, email, name } = await getUser(await deps.users(), userId);
  return { userId: id, email, name };
}
