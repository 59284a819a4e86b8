import { z } from 'zod';
import { defineEvent } from './event-definition';

/** A customer account was created. Consumers: notify (welcome notification and e-mail). */
export const UserRegistered = defineEvent({
  type: 'com.ecom.user.registered',
  source: '/ecom/user/register',
  description: 'A customer account was created.',
  data: z
    .object({
      userId: z.uuid(),
      email: z.email(),
      name: z.string().min(1).max(100),
      registeredAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
export type UserRegisteredData = z.infer<typeof UserRegistered.data>;
