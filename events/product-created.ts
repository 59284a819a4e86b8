import { z } from 'zod';
import { defineEvent } from './event-definition';
import { EventMoney } from './money';

/** A product was added to the catalogue. */
export const ProductCreated = defineEvent({
  type: 'com.ecom.product.created',
  source: '/ecom/product/create-product',
  description: 'A product was added to the catalogue.',
  data: z
    .object({
      productId: z.uuid(),
      sku: z.string().min(1).max(64),
      name: z.string().min(1).max(200),
      price: EventMoney,
      categoryId: z.uuid().nullable(),
      status: z.enum(['draft', 'active', 'archived']),
      createdAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
export type ProductCreatedData = z.infer<typeof ProductCreated.data>;
