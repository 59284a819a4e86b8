import type { Logger } from '../log/logger';

/** The part of `process` that signal handling uses; a test passes an EventEmitter. */
export interface SignalSource {
  once(event: NodeJS.Signals, listener: () => void): unknown;
  off(event: NodeJS.Signals, listener: () => void): unknown;
}

export interface StopOnSignalsOptions {
  readonly logger?: Logger;
  /** Default process.exit: called with 0 once `stop` resolves, 1 if it throws. */
  readonly exit?: (code: number) => void;
  /** Default process. */
  readonly source?: SignalSource;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Runs `stop` on the first SIGTERM (Knative stopping the pod) or SIGINT (Ctrl-C), then exits. The listeners go away
 * at the first signal, so a second one kills the process the default way when a stop hangs. Exiting explicitly
 * means a forgotten handle cannot keep a stopped function alive until Kubernetes kills it.
 *
 * @returns a function that removes the listeners.
 */
export function stopOnSignals(
  stop: () => Promise<void> | void,
  options: StopOnSignalsOptions = {},
): () => void {
  const { logger, exit = (code: number) => process.exit(code), source = process } = options;
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    logger?.info('stopping', { signal });
    Promise.resolve()
      .then(stop)
      .then(
        () => {
          exit(0);
        },
        (error: unknown) => {
          logger?.error('stop failed', { error });
          exit(1);
        },
      );
  };
  const listeners = SIGNALS.map((signal) => ({
    signal,
    listener: () => {
      onSignal(signal);
    },
  }));
  const remove = () => {
    for (const { signal, listener } of listeners) source.off(signal, listener);
  };
  for (const { signal, listener } of listeners) source.once(signal, listener);
  return remove;
}
