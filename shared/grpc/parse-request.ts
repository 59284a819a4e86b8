import type { z } from 'zod';
import { AppError, type FieldIssue } from '../errors/app-error';

/**
 * Validates a decoded request message with its schema. A failure is an `invalid` AppError (INVALID_ARGUMENT) whose
 * message names each bad field by its camelCase path (`pageSize`), and whose fields list them.
 */
export function parseRequest<S extends z.ZodType>(schema: S, message: unknown): z.output<S> {
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  const fields: FieldIssue[] = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(request)',
    message: issue.message,
  }));
  const summary = fields.map(({ field, message: text }) => `${field}: ${text}`).join('; ');
  throw new AppError('invalid', 'REQUEST.INVALID', `Invalid request: ${summary}`, fields);
}
