import { z } from 'zod';

/** Money in events: whole minor units and an ISO 4217 code (the same rule as the API's). */
export const EventMoney = z
  .object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) })
  .strict();
