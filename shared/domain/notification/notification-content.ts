import { z } from 'zod';

/**
 * The `data` of an inbox entry: the contract between notify, which writes it, and order-query, which shows it.
 * Not strict: an entry written by a later version with more fields must still be readable.
 */
export const NotificationContent = z.object({
  title: z.string(),
  body: z.string(),
});
export type NotificationContent = z.infer<typeof NotificationContent>;
