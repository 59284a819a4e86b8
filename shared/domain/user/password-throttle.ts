import { createHash } from 'node:crypto';
import { AppError } from '../../errors/app-error';
import { emailKey } from './user';

/** Failed password checks of one account allowed in a window before each further one waits. */
export const FREE_FAILURES = 5;

/** Failures older than this are forgotten: the count starts again. */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** The wait after the first failure past the free ones; it doubles with each further failure... */
export const FIRST_DELAY_MS = 1000;

/** ...up to this, so an attacker can slow a victim's sign-in down but never lock the account for good. */
export const MAX_DELAY_MS = 15 * 60 * 1000;

/** The failed password checks of one account, as the throttle store keeps them. */
export interface ThrottleState {
  readonly failures: number;
  readonly lastFailureAt: Date;
  /** No password check before this time; null while the account is within its free failures. */
  readonly blockedUntil: Date | null;
}

/** The failed password checks of every account, shared by every instance (the user database). */
export interface PasswordThrottleStore {
  find(accountKey: string): Promise<ThrottleState | undefined>;
  /** Counts one failure atomically (two instances failing at once count two) and answers the new state. */
  recordFailure(accountKey: string, now: Date): Promise<ThrottleState>;
  /** Forgets the account's failures (a successful sign-in). */
  clear(accountKey: string): Promise<void>;
}

/**
 * The throttle's key for an account: the SHA-256 of its e-mail key (trimmed, lower-cased: the address as accounts
 * are found by it). Unknown addresses are throttled
 * alike (the answer must not tell which accounts exist) without keeping the addresses people typed.
 */
export function throttleKey(email: string): string {
  return createHash('sha256').update(emailKey(email)).digest('hex');
}

/** The state after one more failure at `now`. */
export function afterFailure(state: ThrottleState | undefined, now: Date): ThrottleState {
  const recent = state !== undefined && now.getTime() - state.lastFailureAt.getTime() < FAILURE_WINDOW_MS;
  const failures = recent ? state.failures + 1 : 1;
  const past = failures - FREE_FAILURES;
  const delay = past > 0 ? Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (past - 1)) : 0;
  return { failures, lastFailureAt: now, blockedUntil: delay > 0 ? new Date(now.getTime() + delay) : null };
}

/**
 * Refuses a password check while the account waits after too many failures: 429 `AUTH.TOO_MANY_ATTEMPTS` with
 * the seconds to wait, before any password hash is computed.
 */
export function assertMayCheckPassword(state: ThrottleState | undefined, now: Date): void {
  const waitMs = (state?.blockedUntil?.getTime() ?? 0) - now.getTime();
  if (waitMs <= 0) return;
  throw new AppError(
    'rate-limited',
    'AUTH.TOO_MANY_ATTEMPTS',
    'Too many wrong passwords for this account; wait before trying again.',
    [],
    { retryAfterSeconds: Math.ceil(waitMs / 1000) },
  );
}

/**
 * Runs one password check of an account under the throttle: refused while the account waits, a failure counted,
 * a success clears the count. `check` answers whether the password matched.
 */
export async function throttledPasswordCheck(
  throttle: PasswordThrottleStore,
  accountKey: string,
  now: Date,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const state = await throttle.find(accountKey);
  assertMayCheckPassword(state, now);
  const matches = await check();
  // Most sign-ins follow no failure: only those that do pay the write.
  if (matches && state !== undefined) await throttle.clear(accountKey);
  if (!matches) await throttle.recordFailure(accountKey, now);
  return matches;
}
