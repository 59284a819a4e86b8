import {
  reserveCheck,
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
    reserveCheck(accountKey, now) {
      // Read and write with no await between them: atomic, as the SQL store's row lock makes it.
      const reservation = reserveCheck(states.get(accountKey), now);
      if (reservation.admitted) states.set(accountKey, reservation.state);
      return Promise.resolve(reservation);
    },
    clear(accountKey) {
      states.delete(accountKey);
      return Promise.resolve();
    },
  };
}
