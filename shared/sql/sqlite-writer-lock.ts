import { Mutex } from 'async-mutex';
import type { Sequelize } from 'sequelize';

const locks = new Map<string, Mutex>();

/**
 * The in-process lock for an SQLite file's one writer. node-sqlite3 runs statements on libuv's small thread pool
 * (4 threads): transactions waiting in SQLite's busy handler would occupy every thread and starve the one
 * transaction holding the lock, so within a process they queue here instead. Across processes the busy timeout
 * still applies, and it only ever holds one thread per process.
 */
export function sqliteWriterLock(sequelize: Sequelize): Mutex {
  // `options` is public at run time but missing from sequelize's type declarations.
  const storage = String((sequelize as unknown as { options: { storage?: string } }).options.storage);
  let lock = locks.get(storage);
  if (!lock) {
    lock = new Mutex();
    locks.set(storage, lock);
  }
  return lock;
}
