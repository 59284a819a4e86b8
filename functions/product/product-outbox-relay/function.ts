import { defineOutboxRelay } from '../../../shared/kit/function-definition';
import { productService } from '../service';

export const definition = defineOutboxRelay(productService);
