import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const definition: FunctionDefinition = {
  name: 'user-outbox-relay',
  service: 'user',
  description:
    "Publishes the user service's outbox to Kafka every minute: what a crash or an outage left behind.",
  trigger: { kind: 'schedule', schedule: '* * * * *' },
  // One relay at a time is enough, and the outbox lock makes a second one wait anyway.
  scaling: { ...DEFAULT_SCALING, maxScale: 1, target: 1, containerConcurrency: 1 },
  resources: DEFAULT_RESOURCES,
  config: USER_SERVICE_CONFIG,
};
