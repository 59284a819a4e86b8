import { z } from 'zod';

/** Digits only: `Number()` alone would also take `1e2`, `0x10` or ` 7 `. */
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/**
 * `?page&pageSize` of every paged list: page from 1 (default 1), pageSize 1..100 (default 20). Other query
 * parameters are the route's business.
 */
export const PageQuery = z.object({
  page: wholeNumber(100_000).default(1),
  pageSize: wholeNumber(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

/**
 * The same two fields in a proto3 request message (the gRPC sidecars' List methods): proto3 cannot tell an unset
 * number from 0, so 0 means the default.
 */
export const ProtoPageRequest = z.object({
  page: z
    .number()
    .int()
    .min(0)
    .transform((page) => page || 1),
  pageSize: z
    .number()
    .int()
    .min(0)
    .max(100)
    .transform((size) => size || 20),
});

/** The answer's schema of a paged list of `item`. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1).max(100),
    total: z.number().int().min(0),
  });
}

/** The response shape of every paged list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}
