import { emailKey, type UserRecord } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';
import { memoryRefreshTokenStore, type MemoryRefreshTokenStore } from './memory-refresh-token-store';

/** UserRepository in memory, with the stores it writes beside the users (what the SQL adapter's transaction spans). */
export interface MemoryUserRepository extends UserRepository {
  /** Every user, by id, in insertion order. */
  readonly users: ReadonlyMap<string, UserRecord>;
  /** The events recorded by `insert`. */
  readonly outbox: MemoryOutbox;
  /** The refresh tokens that `update(..., { revokeRefreshTokens: true })` revokes. */
  readonly refreshTokens: MemoryRefreshTokenStore;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
const copy = (user: UserRecord): UserRecord => ({
  ...user,
  createdAt: new Date(user.createdAt.getTime()),
  updatedAt: new Date(user.updatedAt.getTime()),
});

/**
 * Users in a map, as sqlUserRepository keeps them: the e-mail key (and the id) unique, a taken one answered
 * AppError('conflict', 'USER.EMAIL_TAKEN') with nothing stored or recorded; a user and its events stored together;
 * a password change revoking the user's refresh tokens in `refreshTokens`; lists oldest first by (createdAt, id).
 */
export function memoryUserRepository(
  options: { readonly outbox?: MemoryOutbox; readonly refreshTokens?: MemoryRefreshTokenStore } = {},
): MemoryUserRepository {
  const users = new Map<string, UserRecord>();
  const outbox = options.outbox ?? memoryOutbox();
  const refreshTokens = options.refreshTokens ?? memoryRefreshTokenStore();
  const findByKey = (email: string) =>
    [...users.values()].find((user) => emailKey(user.email) === emailKey(email));

  return {
    users,
    outbox,
    refreshTokens,
    findByEmail: (email) =>
      later(() => {
        const user = findByKey(email);
        return user ? copy(user) : undefined;
      }),
    findById: (id) =>
      later(() => {
        const user = users.get(id);
        return user ? copy(user) : undefined;
      }),
    insert: (user, events) =>
      later(() => {
        // The SQL adapter answers every unique-key violation so, the primary key's included.
        if (users.has(user.id) || findByKey(user.email)) {
          throw new AppError('conflict', 'USER.EMAIL_TAKEN', 'An account with this e-mail already exists.');
        }
        // Events first: if the outbox refuses them, the user is not stored either (one transaction in SQL).
        outbox.record(events);
        users.set(user.id, copy(user));
      }),
    update: (id, changes, now) =>
      later(() => {
        const user = users.get(id);
        if (!user) return undefined;
        const updated: UserRecord = {
          ...user,
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.passwordHash !== undefined ? { passwordHash: changes.passwordHash } : {}),
          ...(changes.role !== undefined ? { role: changes.role } : {}),
          updatedAt: new Date(now.getTime()),
        };
        users.set(id, updated);
        if (changes.revokeRefreshTokens) refreshTokens.revokeAllOf(id, now);
        return copy(updated);
      }),
    list: (page, pageSize) =>
      later(() => {
        const ordered = [...users.values()].sort(
          (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
        const offset = (page - 1) * pageSize;
        return { items: ordered.slice(offset, offset + pageSize).map(copy), total: users.size };
      }),
  };
}
