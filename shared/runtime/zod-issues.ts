import type { z } from 'zod';
import { AppError, type FieldIssue } from '../errors/app-error';

/** zod issues as the `errors` of a 400 problem: dotted field paths and zod's own messages. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Parses `value` with a schema or throws a 400-kind AppError naming every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = fieldIssues(parsed.error, what === 'body' ? '' : what);
  throw new AppError(
    'invalid',
    'REQUEST.INVALID',
    `Invalid ${what}: ${fields.map((f) => f.field).join(', ')}`,
    fields,
  );
}
