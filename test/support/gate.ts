/**
 * A gate a test holds a stand-in at: the stand-in calls `enter()` and waits for `opened`; the test waits for
 * `inFlight` (the stand-in is waiting now) and calls `release()`. A signal both ways, no sleeps.
 */
export interface Gate {
  readonly inFlight: Promise<void>;
  readonly opened: Promise<void>;
  enter(): void;
  release(): void;
}

export function gate(): Gate {
  let enter = (): void => undefined;
  let release = (): void => undefined;
  const inFlight = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { inFlight, opened, enter, release };
}
