import { z } from 'zod';
import { ProtoPageRequest } from '../domain/pagination';

/**
 * A list request as proto3 sends it, read as the HTTP route's query string, so both ways in take the same filters
 * by the same rules. proto3 sends every field, its zero value when unset: a zero value ('', 0, false) is an absent
 * parameter, any other value its text, and the route's own query schema checks them all.
 */
export function protoQuery<const Fields extends z.ZodRawShape, Query extends z.ZodType>(
  fields: Fields,
  query: Query,
) {
  return ProtoPageRequest.extend(fields).transform(
    (request: Record<string, unknown>, ctx): z.output<Query> => {
      const parameters: Record<string, string> = {};
      for (const [name, value] of Object.entries(request)) {
        if (value !== '' && value !== 0 && value !== false) parameters[name] = String(value);
      }
      const parsed = query.safeParse(parameters);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
        return z.NEVER;
      }
      return parsed.data;
    },
  );
}
