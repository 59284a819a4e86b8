import test from 'ava';
import { decideRefreshRotation, type RefreshTokenRecord } from '../../../shared/domain/user/refresh-rotation';
import { refreshTokenExpiresAt } from '../../../shared/domain/user/refresh-token';

const now = new Date('2030-01-01T12:00:00Z');
const earlier = new Date('2030-01-01T11:00:00Z');
const record = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  id: 'rt-1',
  userId: 'user-1',
  familyId: 'family-1',
  expiresAt: refreshTokenExpiresAt(earlier),
  rotatedAt: null,
  revokedAt: null,
  ...overrides,
});

test('a live token rotates', (t) => {
  const live = record();
  t.deepEqual(decideRefreshRotation(live, now), { action: 'rotate', record: live });
  t.is(decideRefreshRotation(record({ rotatedAt: undefined, revokedAt: undefined }), now).action, 'rotate');
});

test('unknown, expired and revoked tokens are rejected', (t) => {
  for (const presented of [undefined, record({ expiresAt: now }), record({ revokedAt: earlier })]) {
    const decision = decideRefreshRotation(presented, now);
    if (decision.action !== 'reject') return t.fail(decision.action);
    t.is(decision.error.kind, 'unauthenticated');
    t.is(decision.error.code, 'AUTH.INVALID_REFRESH_TOKEN');
  }
});

test('a rotated token presented again revokes its family, even once expired or revoked', (t) => {
  for (const presented of [
    record({ rotatedAt: earlier }),
    record({ rotatedAt: earlier, revokedAt: earlier }),
    record({ rotatedAt: earlier, expiresAt: earlier }),
  ]) {
    const decision = decideRefreshRotation(presented, now);
    if (decision.action !== 'revoke-family') return t.fail(decision.action);
    t.is(decision.familyId, 'family-1');
    t.is(decision.userId, 'user-1');
    t.is(decision.error.kind, 'unauthenticated');
    t.is(decision.error.code, 'AUTH.REFRESH_TOKEN_REUSED');
  }
});
// The whole flow (a stolen token replayed after rotation ends the session for both holders) is the refresh use case's:
// test/unit/use-cases/refresh-token.test.ts drives it over the in-memory stores, which the contract suite keeps
// true to SQL.
