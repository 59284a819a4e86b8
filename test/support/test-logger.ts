import { appendFileSync } from 'node:fs';
import { createLogger, type Logger } from '../../shared/log/logger';

/**
 * The logger of what a test runs in process (functions, the test broker): silent, unless TEST_LOG_LEVEL asks for a
 * level, to see where a flaky run stopped. TEST_LOG_FILE appends the lines to a file instead of stdout, where ava
 * would interleave the workers' output with its own.
 */
export function testLogger(name: string): Logger {
  const file = process.env['TEST_LOG_FILE'];
  return createLogger(name, {
    level: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    ...(file
      ? {
          write: (line: string) => {
            appendFileSync(file, line + '\n');
          },
        }
      : {}),
  });
}
