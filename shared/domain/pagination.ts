import { z } from 'zod';

/** `?page&pageSize` of list endpoints: page from 1, pageSize 1..100, default 20. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
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

/** The response shape of every paged list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}
