import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks a second, in which /proc reports CPU time. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) a process has used so far, in milliseconds; Linux only. */
export function cpuMs(pid: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** The oldest process pgrep finds with `args`, when one runs. */
function oldest(args: readonly string[]): number | undefined {
  try {
    const pid = Number(execFileSync('pgrep', ['-o', ...args], { encoding: 'utf8' }).trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined; // pgrep exits 1 when nothing matches.
  }
}

/** The oldest process whose command line holds `pattern` (a Java main class, say), when one runs. */
export function pidOf(pattern: string): number | undefined {
  return oldest(['-f', pattern]);
}

/** The pid of the running MariaDB server, when it runs on this machine. */
export function mariadbPid(): number | undefined {
  return oldest(['-x', 'mariadbd']) ?? oldest(['-x', 'mysqld']);
}
