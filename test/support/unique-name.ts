import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses, for databases, keyspaces and streams that tests create and drop: runs (and
 * test files running in parallel) never see each other's data. Lower case, so it is also a valid CQL name.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
