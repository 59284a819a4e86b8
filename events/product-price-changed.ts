import { z } from 'zod';
import { defineEvent } from './event-definition';
import { EventMoney } from './money';

/** A product's price changed; orders placed before keep the price they were quoted. */
export const ProductPriceChanged = defineEvent({
  type: 'com.ecom.product.price-changed',
  source: '/ecom/product/update-product',
  description: "A product's price changed.",
  data: z
    .object({
      productId: z.uuid(),
      sku: z.string().min(1).max(64),
      previousPrice: EventMoney,
      price: EventMoney,
      changedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
export type ProductPriceChangedData = z.infer<typeof ProductPriceChanged.data>;
