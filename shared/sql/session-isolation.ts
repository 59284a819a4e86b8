import type { Sequelize } from 'sequelize';

/**
 * The isolation levels transactions here take. READ COMMITTED takes no gap locks on MySQL: queue-like scans (the
 * outbox relay) and locking reads of rows that may not exist yet (a first reservation) use it.
 */
export type IsolationLevel = 'repeatable-read' | 'read-committed';

const sessionLevels = new WeakMap<Sequelize, IsolationLevel>();

/** Records the level every connection of `sequelize` starts at (createSequelize sets it on each connection). */
export function recordSessionIsolation(sequelize: Sequelize, level: IsolationLevel): void {
  sessionLevels.set(sequelize, level);
}

/**
 * The level every connection of `sequelize` starts at: a transaction at that level needs no `SET TRANSACTION` of its
 * own. REPEATABLE READ, InnoDB's default, unless createSequelize was told otherwise.
 */
export function sessionIsolation(sequelize: Sequelize): IsolationLevel {
  return sessionLevels.get(sequelize) ?? 'repeatable-read';
}
