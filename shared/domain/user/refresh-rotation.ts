import { AppError } from '../../errors/app-error';

/**
 * A stored refresh token, as the rotation rules need it (the store keeps it under the token's hash).
 * Every token descends from one login: the tokens of a login share a `familyId`.
 */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly familyId: string;
  readonly expiresAt: Date;
  /** When it was exchanged for a successor; a token is good for one exchange only. */
  readonly rotatedAt?: Date | null | undefined;
  /** When it was revoked (logout, or reuse detected in its family). */
  readonly revokedAt?: Date | null | undefined;
}

/** What to do with a presented refresh token. */
export type RotationDecision =
  /** Valid: mark it rotated and issue a successor in the same family. */
  | { readonly action: 'rotate'; readonly record: RefreshTokenRecord }
  /** Unknown, expired or revoked: answer `error` (401), change nothing. */
  | { readonly action: 'reject'; readonly error: AppError }
  /**
   * Already rotated, so presented twice: one of the two presenters stole it. Revoke the whole family (the
   * thief's and the user's tokens alike, the user logs in again), then answer `error` (401).
   */
  | {
      readonly action: 'revoke-family';
      readonly familyId: string;
      readonly userId: string;
      readonly error: AppError;
    };

const invalid = (): AppError =>
  new AppError('unauthenticated', 'AUTH.INVALID_REFRESH_TOKEN', 'The refresh token is invalid or expired.');

/**
 * The refresh token rotation rules (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2), pure: given the stored
 * record of a presented token (undefined when no record has its hash) and the time, decide.
 *
 * Reuse is checked first: a rotated token presented again revokes the family even when it has expired or been
 * revoked since, because its successors may still be live.
 *
 * The store must make `rotate` atomic: mark the token rotated with a compare-and-set (`UPDATE ... SET rotated_at
 * = ? WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL`) and treat a lost race like reuse, or two
 * concurrent presentations of one token would both get a successor.
 */
export function decideRefreshRotation(record: RefreshTokenRecord | undefined, now: Date): RotationDecision {
  if (record === undefined) return { action: 'reject', error: invalid() };
  if (record.rotatedAt != null) {
    return {
      action: 'revoke-family',
      familyId: record.familyId,
      userId: record.userId,
      error: new AppError(
        'unauthenticated',
        'AUTH.REFRESH_TOKEN_REUSED',
        'The refresh token was already used; sign in again.',
      ),
    };
  }
  if (record.revokedAt != null) return { action: 'reject', error: invalid() };
  if (record.expiresAt.getTime() <= now.getTime()) return { action: 'reject', error: invalid() };
  return { action: 'rotate', record };
}
