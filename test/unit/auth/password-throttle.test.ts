import test from 'ava';
import {
  afterFailure,
  assertMayCheckPassword,
  FAILURE_WINDOW_MS,
  FIRST_DELAY_MS,
  FREE_FAILURES,
  MAX_DELAY_MS,
  throttledPasswordCheck,
  throttleKey,
  type ThrottleState,
} from '../../../shared/domain/user/password-throttle';
import { AppError } from '../../../shared/errors/app-error';
import { memoryPasswordThrottleStore } from '../../support/memory/memory-password-throttle-store';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** The state after `count` failures one second apart, from nothing. */
function failures(count: number): ThrottleState | undefined {
  let state: ThrottleState | undefined;
  for (let i = 0; i < count; i++) state = afterFailure(state, at(i * 1000));
  return state;
}

test('the free failures wait nothing; each further one waits twice as long, up to the cap', (t) => {
  t.deepEqual(failures(FREE_FAILURES), {
    failures: FREE_FAILURES,
    lastFailureAt: at((FREE_FAILURES - 1) * 1000),
    blockedUntil: null,
  });
  const waits = [1, 2, 3, 4, 5, 10, 11, 30].map((past) => {
    const state = failures(FREE_FAILURES + past);
    return (state?.blockedUntil?.getTime() ?? 0) - (state?.lastFailureAt.getTime() ?? 0);
  });
  t.deepEqual(waits, [
    FIRST_DELAY_MS,
    FIRST_DELAY_MS * 2,
    FIRST_DELAY_MS * 4,
    FIRST_DELAY_MS * 8,
    FIRST_DELAY_MS * 16,
    FIRST_DELAY_MS * 2 ** 9,
    MAX_DELAY_MS,
    MAX_DELAY_MS,
  ]);
  t.true(FIRST_DELAY_MS * 2 ** 10 > MAX_DELAY_MS, 'the cap is reached at the eleventh');
});

test('a failure after the window starts the count again', (t) => {
  const state = failures(FREE_FAILURES + 3);
  const last = state?.lastFailureAt.getTime() ?? 0;
  t.like(afterFailure(state, at(last - Date.UTC(2026, 0, 1) + FAILURE_WINDOW_MS - 1)), {
    failures: FREE_FAILURES + 4,
  });
  t.deepEqual(afterFailure(state, new Date(last + FAILURE_WINDOW_MS)), {
    failures: 1,
    lastFailureAt: new Date(last + FAILURE_WINDOW_MS),
    blockedUntil: null,
  });
});

test('a check is refused until the wait is over, with the seconds left rounded up', (t) => {
  const state: ThrottleState = { failures: 9, lastFailureAt: at(0), blockedUntil: at(8000) };
  const error = t.throws(() => {
    assertMayCheckPassword(state, at(6001));
  });
  t.true(error instanceof AppError);
  t.like(error, { kind: 'rate-limited', code: 'AUTH.TOO_MANY_ATTEMPTS', retryAfterSeconds: 2 });
  t.notThrows(() => {
    assertMayCheckPassword(state, at(8000));
  });
  t.notThrows(() => {
    assertMayCheckPassword({ ...state, blockedUntil: null }, at(0));
  });
  t.notThrows(() => {
    assertMayCheckPassword(undefined, at(0));
  });
});

test('a throttled check: refused without checking while waiting, a failure counted, a success clears', async (t) => {
  const throttle = memoryPasswordThrottleStore();
  const key = throttleKey('ada@example.com');
  let checks = 0;
  const check = (matches: boolean) => () => {
    checks++;
    return Promise.resolve(matches);
  };
  for (let i = 0; i <= FREE_FAILURES; i++) {
    t.false(await throttledPasswordCheck(throttle, key, at(i), check(false)));
  }
  t.is(checks, FREE_FAILURES + 1);
  await t.throwsAsync(throttledPasswordCheck(throttle, key, at(FREE_FAILURES + 1), check(true)), {
    instanceOf: AppError,
    message: /wait/,
  });
  t.is(checks, FREE_FAILURES + 1, 'no password work while waiting');
  t.true(await throttledPasswordCheck(throttle, key, at(FREE_FAILURES + FIRST_DELAY_MS), check(true)));
  t.is(throttle.states.size, 0, 'a success forgets the failures');
});

test('wrong guesses at once: only the free ones and the one that starts the wait reach the check, the rest 429', async (t) => {
  const throttle = memoryPasswordThrottleStore();
  const key = throttleKey('ada@example.com');
  let checks = 0;
  const slowWrongCheck = async () => {
    checks++;
    await new Promise((resolve) => setImmediate(resolve)); // the password work takes a while
    return false;
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, () => throttledPasswordCheck(throttle, key, at(0), slowWrongCheck)),
  );
  t.is(checks, FREE_FAILURES + 1);
  t.is(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, FREE_FAILURES + 1);
  for (const outcome of outcomes.filter((outcome) => outcome.status === 'rejected')) {
    t.like(outcome.reason, { code: 'AUTH.TOO_MANY_ATTEMPTS', retryAfterSeconds: FIRST_DELAY_MS / 1000 });
  }
});

test('the key is the account: one e-mail whatever its case and spaces, and not the address itself', (t) => {
  t.is(throttleKey(' Ada@Example.COM '), throttleKey('ada@example.com'));
  t.not(throttleKey('ada@example.com'), throttleKey('bob@example.com'));
  t.regex(throttleKey('ada@example.com'), /^[0-9a-f]{64}$/);
});
