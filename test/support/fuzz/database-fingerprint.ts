import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { connectTo } from '../sql-fixture';

/**
 * Tables a refused request may change by design: a wrong password is counted against its account and address
 * (password-throttle.ts), refused or not.
 */
const CHANGED_BY_REFUSALS = new Set(['password_throttle']);

/** Every table's checksum (MariaDB's CHECKSUM TABLE) in each database, as `database.table` -> checksum. */
export async function fingerprint(databases: readonly string[]): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  const connection = await connectTo();
  try {
    for (const database of databases) {
      const [tables] = await connection.query<({ name: string } & RowDataPacket)[]>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
        [database],
      );
      for (const { name } of tables) {
        if (CHANGED_BY_REFUSALS.has(name)) continue;
        const [rows] = await connection.query<({ Checksum: number | null } & RowDataPacket)[]>(
          `CHECKSUM TABLE \`${database}\`.\`${name}\``,
        );
        sums[`${database}.${name}`] = String(rows[0]?.Checksum);
      }
    }
  } finally {
    await connection.end();
  }
  return sums;
}

/**
 * The fingerprint once the databases are still: the saga and the relays finish what earlier requests began in the
 * background, so a change made by those is not blamed on the requests that follow.
 */
export async function settledFingerprint(databases: readonly string[]): Promise<Record<string, string>> {
  let last = await fingerprint(databases);
  for (let attempt = 0; attempt < 30; attempt++) {
    await sleep(2_000);
    const next = await fingerprint(databases);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error('The databases did not settle within a minute');
}
