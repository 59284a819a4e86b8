/** A clock that tests move by hand: `now` is a function, so it can be handed to a use case as its `now` port. */
export interface TestClock {
  /** The current test time (a fresh Date each call, so callers cannot move the clock by mutating it). */
  readonly now: () => Date;
  /** Moves the clock to `time`. */
  readonly set: (time: Date | string) => void;
  /** Moves the clock `ms` milliseconds forward (backward when negative). */
  readonly advance: (ms: number) => void;
}

/** A test clock starting at `start` (default 2030-01-01T00:00:00.000Z); it stands still until told to move. */
export function testClock(start: Date | string = '2030-01-01T00:00:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (time) => {
      current = new Date(time).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
