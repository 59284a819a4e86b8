import type { RefreshTokenRecord } from '../../../shared/domain/user/refresh-rotation';
import type { NewRefreshTokenRecord, RefreshTokenStore } from '../../../shared/domain/user/user-ports';

/** A refresh token as the memory store keeps it: the row of the SQL table, without `created_at`. */
export interface StoredRefreshToken extends NewRefreshTokenRecord {
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** RefreshTokenStore in memory, with what tests inspect and what the memory user repository needs. */
export interface MemoryRefreshTokenStore extends RefreshTokenStore {
  /** Every token stored, by hash, in insertion order. */
  readonly tokens: ReadonlyMap<string, StoredRefreshToken>;
  /** Revokes every live token of a user: what `update(..., { revokeRefreshTokens })` does in the same transaction. */
  revokeAllOf(userId: string, now: Date): void;
}

const copy = (time: Date) => new Date(time.getTime());
/** Runs `work` as a store call would: later, with a throw becoming a rejection. `work` itself runs atomically. */
const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

/** The record as the SQL adapter returns it: `rotatedAt`/`revokedAt` only when set. */
function toRecord(token: StoredRefreshToken): RefreshTokenRecord {
  return {
    id: token.id,
    userId: token.userId,
    familyId: token.familyId,
    expiresAt: copy(token.expiresAt),
    ...(token.rotatedAt ? { rotatedAt: copy(token.rotatedAt) } : {}),
    ...(token.revokedAt ? { revokedAt: copy(token.revokedAt) } : {}),
  };
}

/**
 * Refresh tokens in a map keyed by hash. Like the SQL table, the id and the hash are unique (a second insert of
 * either throws), `rotate` is a compare-and-set, and revoking keeps the first revocation time.
 */
export function memoryRefreshTokenStore(): MemoryRefreshTokenStore {
  const tokens = new Map<string, StoredRefreshToken>();
  const byId = (id: string) => [...tokens.values()].find((token) => token.id === id);
  const store = (token: NewRefreshTokenRecord) => {
    if (tokens.has(token.tokenHash) || byId(token.id)) {
      throw new Error(`refresh token ${token.id} duplicates a stored id or hash`);
    }
    tokens.set(token.tokenHash, {
      ...token,
      expiresAt: copy(token.expiresAt),
      rotatedAt: null,
      revokedAt: null,
    });
  };
  const revokeWhere = (matches: (token: StoredRefreshToken) => boolean, now: Date) => {
    let changed = 0;
    for (const token of tokens.values()) {
      if (token.revokedAt === null && matches(token)) {
        tokens.set(token.tokenHash, { ...token, revokedAt: copy(now) });
        changed++;
      }
    }
    return changed;
  };

  return {
    tokens,
    findByHash: (tokenHash) =>
      later(() => {
        const token = tokens.get(tokenHash);
        return token ? toRecord(token) : undefined;
      }),
    insert: (token) =>
      later(() => {
        store(token);
      }),
    rotate: (previousId, next, now) =>
      later(() => {
        const previous = byId(previousId);
        if (!previous || previous.rotatedAt !== null || previous.revokedAt !== null) return false;
        // The successor first: if it cannot be stored, the predecessor stays usable (the SQL transaction rolls
        // back).
        store(next);
        tokens.set(previous.tokenHash, { ...previous, rotatedAt: copy(now) });
        return true;
      }),
    revokeFamily: (familyId, now) =>
      later(() => {
        revokeWhere((token) => token.familyId === familyId, now);
      }),
    revokeAllOf(userId, now) {
      revokeWhere((token) => token.userId === userId, now);
    },
    revokeUser: (userId, now) =>
      later(() => {
        revokeWhere((token) => token.userId === userId, now);
      }),
  };
}
