import { z } from 'zod';
import { defineEvent } from './event-definition';

/** A product was removed from the catalogue (a soft delete: orders that hold it keep their lines). */
export const ProductDeleted = defineEvent({
  type: 'com.ecom.product.deleted',
  source: '/ecom/product/delete-product',
  description: 'A product was removed from the catalogue.',
  data: z
    .object({
      productId: z.uuid(),
      sku: z.string().min(1).max(64),
      deletedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
export type ProductDeletedData = z.infer<typeof ProductDeleted.data>;
