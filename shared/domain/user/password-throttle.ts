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

/**
 * One password check asked of the throttle: admitted, and then already counted as a failure (`state` the count with
 * it), or refused because the account waits (`state` the count, unchanged).
 */
export interface CheckReservation {
  readonly admitted: boolean;
  readonly state: ThrottleState;
}

/** The failed password checks of every account, shared by every instance (the user database). */
export interface PasswordThrottleStore {
  find(accountKey: string): Promise<ThrottleState | undefined>;
  /**
   * Reserves one password check atomically, by {@link reserveCheck}'s rule: checks asked at once from any number of
   * instances are admitted one after the other, each seeing the failures counted by those before it, so no more
   * are admitted than the rule allows however many arrive together.
   */
  reserveCheck(accountKey: string, now: Date): Promise<CheckReservation>;
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

/** How long the account still waits at `now` before its next password check; 0 or less: it may check. */
const waitMs = (state: ThrottleState | undefined, now: Date): number =>
  (state?.blockedUntil?.getTime() ?? 0) - now.getTime();

/** The answer to a check while the account waits: 429 `AUTH.TOO_MANY_ATTEMPTS` with the seconds to wait. */
function tooManyAttempts(state: ThrottleState | undefined, now: Date): AppError {
  return new AppError(
    'rate-limited',
    'AUTH.TOO_MANY_ATTEMPTS',
    'Too many sign-in attempts for this account; wait before trying again.',
    [],
    { retryAfterSeconds: Math.max(1, Math.ceil(waitMs(state, now) / 1000)) },
  );
}

/**
 * Refuses a password check while the account waits after too many failures: 429 `AUTH.TOO_MANY_ATTEMPTS` with
 * the seconds to wait, before any password hash is computed.
 */
export function assertMayCheckPassword(state: ThrottleState | undefined, now: Date): void {
  if (waitMs(state, now) > 0) throw tooManyAttempts(state, now);
}

/**
 * The rule a store applies, atomically, to reserve a check at `now`: refused while the account waits; otherwise
 * admitted and counted as a failure before the password is even looked at (a success clears it afterwards), so
 * checks asked at once cannot all pass on the same count.
 */
export function reserveCheck(state: ThrottleState | undefined, now: Date): CheckReservation {
  if (state !== undefined && waitMs(state, now) > 0) return { admitted: false, state };
  return { admitted: true, state: afterFailure(state, now) };
}

/**
 * Runs one password check of an account under the throttle: the check is reserved (counted as a failure) first,
 * refused while the account waits, with no password work; a success clears the count. `check` answers whether
 * the password matched; if it throws, the attempt stays counted.
 */
export async function throttledPasswordCheck(
  throttle: PasswordThrottleStore,
  accountKey: string,
  now: Date,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const reservation = await throttle.reserveCheck(accountKey, now);
  if (!reservation.admitted) throw tooManyAttempts(reservation.state, now);
  const matches = await check();
  if (matches) await throttle.clear(accountKey);
  return matches;
}
