import { onShutdown } from './shutdown';

/**
 * A resource opened on first use and reused afterwards (a pool, a producer), closed at shutdown. Opening lazily
 * keeps connection set-up off the cold start; a failed open is forgotten so the next call tries again.
 */
export function lazy<T>(
  name: string,
  open: () => Promise<T>,
  close: (value: T) => Promise<void>,
): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    if (!opening) {
      const current = open();
      opening = current;
      current.then(
        (value) => {
          onShutdown(name, () => close(value));
        },
        () => {
          if (opening === current) opening = undefined;
        },
      );
    }
    return opening;
  };
}
