import type { RefreshTokenRecord } from './refresh-rotation';
import type { Role } from './roles';
import type { NewDomainEvent } from '../domain-event';
import type { User, UserRecord } from './user';

/** Changes to a user; `revokeRefreshTokens` ends every session in the same transaction (a password change). */
export interface UserChanges {
  readonly name?: string;
  readonly passwordHash?: string;
  readonly role?: Role;
  readonly revokeRefreshTokens?: boolean;
}

export interface UserPage {
  readonly items: User[];
  readonly total: number;
}

/** The user store. Implementations keep the e-mail key unique. */
export interface UserRepository {
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Stores a new user and its events atomically; throws a conflict AppError when the e-mail is taken. */
  insert(user: UserRecord, events: readonly NewDomainEvent[]): Promise<void>;
  /** Returns the changed user, or undefined when there is no such user. */
  update(id: string, changes: UserChanges, now: Date): Promise<UserRecord | undefined>;
  /** Oldest first, so pages stay stable while users register. */
  list(page: number, pageSize: number): Promise<UserPage>;
}

/** A refresh token to store: only its hash is kept. */
export interface NewRefreshTokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/** Refresh tokens, stored hashed, grouped in families (one login and its rotations). */
export interface RefreshTokenStore {
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  insert(token: NewRefreshTokenRecord): Promise<void>;
  /**
   * Marks `previousId` rotated and stores its successor atomically, only if `previousId` was still usable:
   * false means another request rotated or revoked it first (treated as reuse).
   */
  rotate(previousId: string, next: NewRefreshTokenRecord, now: Date): Promise<boolean>;
  /** Revokes every token of a family not revoked yet: ends that session (logout, reuse). */
  revokeFamily(familyId: string, now: Date): Promise<void>;
  /** Revokes every token of a user not revoked yet: ends all their sessions (an admin's revocation). */
  revokeUser(userId: string, now: Date): Promise<void>;
}
