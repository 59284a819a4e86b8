// MariaDB: the machine's own server. Used as is when it answers; otherwise the installed server binary is
// started with its system configuration (/etc/mysql), on the port and address from infra-env.ts.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { infraEnv } from './infra-env';
import type { Service } from './lifecycle';
import { spawnDetached, type Detached } from './process-control';

const { host, port, user, password } = infraEnv.mysql;
const dir = path.join(infraEnv.dataDir, 'mariadb');
const consoleLog = path.join(dir, 'mariadbd.log');
// The server of the Debian/Ubuntu package mariadb-server (mysqld is only a link to it there).
const serverBinary = '/usr/sbin/mariadbd';

async function probe(): Promise<string> {
  const connection = await mysql.createConnection({ host, port, user, password, connectTimeout: 3000 });
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    return `MariaDB ${String(rows[0]?.version)}`;
  } finally {
    await connection.end();
  }
}

function requireServerBinary(): void {
  try {
    accessSync(serverBinary, constants.X_OK);
  } catch {
    throw new Error(
      `MariaDB does not answer on ${host}:${port} (as ${user}) and no server is installed (${serverBinary} ` +
        'is missing). Install it with `apt-get install mariadb-server` (Debian/Ubuntu), or point ' +
        'MYSQL_HOST/MYSQL_PORT/MYSQL_USER/MYSQL_PASSWORD at a running server.',
    );
  }
}

/** The server's options from /etc/mysql, as `mariadbd --print-defaults` shows them. */
function configuredOption(name: string): string | undefined {
  const defaults = execFileSync(serverBinary, ['--print-defaults'], { encoding: 'utf8' });
  return new RegExp(`--${name}=(\\S+)`).exec(defaults)?.[1];
}

function start(): Promise<Detached> {
  requireServerBinary();
  const serverUser = configuredOption('user') ?? 'mysql';
  // The socket folder lives on a tmpfs that a reboot empties; the init script would have recreated it.
  const socket = configuredOption('socket');
  if (socket && !existsSync(path.dirname(socket))) {
    mkdirSync(path.dirname(socket), { recursive: true });
    if (process.getuid?.() === 0) execFileSync('chown', [serverUser, path.dirname(socket)]);
  }
  const args = [`--user=${serverUser}`, `--port=${port}`, `--bind-address=${host}`];
  return Promise.resolve(spawnDetached(serverBinary, args, consoleLog));
}

/** The server logs to its configured error log, not to its console. */
function logFiles(): string[] {
  const errorLog = existsSync(serverBinary) ? configuredOption('log-error') : undefined;
  return errorLog ? [errorLog, consoleLog] : [consoleLog];
}

export const mariadb: Service = {
  name: 'mariadb',
  address: `${host}:${port}`,
  dir,
  pidFile: path.join(dir, 'mariadbd.pid'),
  processMarker: 'mariadbd',
  readyTimeoutMs: 60_000,
  get logFiles() {
    return logFiles();
  },
  probe,
  start,
};
