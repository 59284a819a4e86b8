import { z } from 'zod';

/** The most units of one product an order may ask for; a line over it is 400. */
export const OrderLimitsEnv = z.object({
  ORDER_MAX_QUANTITY_PER_LINE: z.coerce.number().int().min(1).max(10_000).default(100),
});
