import type { LogFields, Logger } from '../../../shared/domain/logger';
import { createLogger } from '../../../shared/log/logger';

/** A logger that writes nothing, for tests that do not look at the log. */
export const silentLogger: Logger = createLogger('test', { level: 'silent' });

/** One line a memory logger kept: the child's fields merged with the line's, as the JSON logger writes them. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly fields: LogFields;
}

/** A Logger that keeps its lines (every level), and the lines it kept, shared with its children. */
export interface MemoryLogger extends Logger {
  readonly lines: readonly LoggedLine[];
}

export function memoryLogger(): MemoryLogger {
  const lines: LoggedLine[] = [];
  const make = (bound: LogFields): Logger => {
    const emit =
      (level: LoggedLine['level']) =>
      (msg: string, fields: LogFields = {}) => {
        lines.push({ level, msg, fields: { ...bound, ...fields } });
      };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return { ...make({}), lines };
}
