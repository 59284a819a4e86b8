import {
  afterFailure,
  type PasswordThrottleStore,
  type ThrottleState,
} from '../../../shared/domain/user/password-throttle';

export interface MemoryPasswordThrottleStore extends PasswordThrottleStore {
  readonly states: ReadonlyMap<string, ThrottleState>;
}

/** The password throttle in a map, for use-case tests; the SQL store passes the same contract tests. */
export function memoryPasswordThrottleStore(): MemoryPasswordThrottleStore {
  const states = new Map<string, ThrottleState>();
  return {
    states,
    find: (accountKey) => Promise.resolve(states.get(accountKey)),
    recordFailure(accountKey, now) {
      const next = afterFailure(states.get(accountKey), now);
      states.set(accountKey, next);
      return Promise.resolve(next);
    },
    clear(accountKey) {
      states.delete(accountKey);
      return Promise.resolve();
    },
  };
}
