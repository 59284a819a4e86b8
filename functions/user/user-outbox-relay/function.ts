import { defineOutboxRelay } from '../../../shared/kit/function-definition';
import { userService } from '../service';

export const definition = defineOutboxRelay(userService);
