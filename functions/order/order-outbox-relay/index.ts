// The order service's outbox relay: run by a PingSource, it publishes what the outbox still holds.
import { registerOutboxRelay } from '../../../shared/kit/register';
import { definition } from './function';

registerOutboxRelay(definition);
