import { UserRegistered } from '../../../events/user-registered';
import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
} from '../../../shared/runtime/function-definition';
import { configOf } from '../../../shared/runtime/config-declaration';
import { NOTIFY_SECRETS, NotifyEnv } from './notify-config';

/**
 * How many events one instance handles at once. Each holds a database connection while it writes the inbox and
 * talks to the mail server, so the pool is sized to it (notify-dependencies.ts).
 */
export const NOTIFY_CONCURRENCY = 10;

/** notify: turns events into notifications, in the user's inbox and, when SMTP is configured, by e-mail. */
export const definition: FunctionDefinition = {
  name: 'notify',
  service: 'order',
  description:
    'Turns events into notifications: an entry in the user inbox, and an e-mail when SMTP is configured.',
  trigger: { kind: 'cloudevent', eventTypes: [UserRegistered.type] },
  scaling: {
    ...DEFAULT_SCALING,
    maxScale: 5,
    target: NOTIFY_CONCURRENCY / 2,
    containerConcurrency: NOTIFY_CONCURRENCY,
  },
  resources: DEFAULT_RESOURCES,
  config: configOf([NotifyEnv], NOTIFY_SECRETS),
};
