import { ProductCreated } from '../../../events/product-created';
import { ProductDeleted } from '../../../events/product-deleted';
import { ProductPriceChanged } from '../../../events/product-price-changed';
import type { NewDomainEvent } from '../domain-event';
import type { Money } from './money';
import type { Product } from './product';

function productEvent(
  definition: { type: string; source: string },
  product: Product,
  time: Date,
  data: Record<string, unknown>,
): NewDomainEvent {
  return {
    type: definition.type,
    source: definition.source,
    subject: product.id,
    partitionKey: product.id,
    time,
    data,
  };
}

/** `com.ecom.product.created`, validated against its schema before it is stored. */
export function productCreatedEvent(product: Product): NewDomainEvent {
  return productEvent(
    ProductCreated,
    product,
    product.createdAt,
    ProductCreated.data.parse({
      productId: product.id,
      sku: product.sku,
      name: product.name,
      price: product.price,
      categoryId: product.categoryId,
      status: product.status,
      createdAt: product.createdAt.toISOString(),
    }),
  );
}

/** `com.ecom.product.price-changed`: the old and the new price. */
export function productPriceChangedEvent(product: Product, previous: Money): NewDomainEvent {
  return productEvent(
    ProductPriceChanged,
    product,
    product.updatedAt,
    ProductPriceChanged.data.parse({
      productId: product.id,
      sku: product.sku,
      previousPrice: previous,
      price: product.price,
      changedAt: product.updatedAt.toISOString(),
    }),
  );
}

/** `com.ecom.product.deleted`: the product is gone from the catalogue (orders keep their lines). */
export function productDeletedEvent(product: Product, deletedAt: Date): NewDomainEvent {
  return productEvent(
    ProductDeleted,
    product,
    deletedAt,
    ProductDeleted.data.parse({
      productId: product.id,
      sku: product.sku,
      deletedAt: deletedAt.toISOString(),
    }),
  );
}
