import { processShutdown, type ShutdownHooks } from './shutdown';

/**
 * A resource opened on first use and reused afterwards (a pool, a producer), closed at shutdown when `close` is
 * given; also a one-off step done once per instance (a check, a migration). Doing it lazily keeps it off the
 * cold start; a failed open is forgotten so the next call tries again.
 *
 * @param hooks where `close` is registered once opened: the function instance's, or the process's by default.
 */
export function lazy<T>(
  name: string,
  open: () => Promise<T>,
  close?: (value: T) => Promise<void>,
  hooks: ShutdownHooks = processShutdown,
): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    if (!opening) {
      const current = open();
      opening = current;
      current.then(
        (value) => {
          if (close) hooks.add(name, () => close(value));
        },
        () => {
          if (opening === current) opening = undefined;
        },
      );
    }
    return opening;
  };
}
