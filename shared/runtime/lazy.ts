import { onShutdown } from './shutdown';

/**
 * A resource opened on first use and reused afterwards (a pool, a producer), closed at shutdown when `close` is
 * given; also a one-off step done once per instance (a check, a migration). Doing it lazily keeps it off the
 * cold start; a failed open is forgotten so the next call tries again.
 */
export function lazy<T>(
  name: string,
  open: () => Promise<T>,
  close?: (value: T) => Promise<void>,
): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    if (!opening) {
      const current = open();
      opening = current;
      current.then(
        (value) => {
          if (close) onShutdown(name, () => close(value));
        },
        () => {
          if (opening === current) opening = undefined;
        },
      );
    }
    return opening;
  };
}
