import { defineOutboxRelay } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

export const definition = defineOutboxRelay(orderService);
