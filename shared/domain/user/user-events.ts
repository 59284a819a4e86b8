import { UserRegistered } from '../../../events/user-registered';
import type { User } from './user';
import type { NewDomainEvent } from '../domain-event';

/** `com.ecom.user.registered` for a new account, validated against its schema before it is stored. */
export function userRegisteredEvent(user: User): NewDomainEvent {
  return {
    type: UserRegistered.type,
    source: UserRegistered.source,
    subject: user.id,
    partitionKey: user.id,
    time: user.createdAt,
    data: UserRegistered.data.parse({
      userId: user.id,
      email: user.email,
      name: user.name,
      registeredAt: user.createdAt.toISOString(),
    }),
  };
}
